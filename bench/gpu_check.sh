#!/usr/bin/env bash
# The GPU check (issue 15, design.md's GPU checklist): build ablate against a pip PyTorch's LibTorch on a
# CUDA machine and measure it there, in one command.
#
#   bench/gpu_check.sh --fetch   here, on Debian 12 (once): apt-get download the .deb files of the
#                                build's non-torch dependencies into bench/gpu-debs/ (git-ignored)
#   bench/gpu_check.sh           on the CUDA machine, from the repository root, with bench/gpu-debs/
#                                carried along: everything below, output on stdout (and in $OUT/ if set)
#
# On the CUDA machine it needs CUDA, CMake, ninja, a C++17 compiler and python3 with a pip torch; nothing
# is installed into / and nothing is downloaded. Steps:
#   1. unpack the .debs with dpkg -x (or ar + tar) under $WORK/deps (WORK defaults to /tmp/ablate-gpu)
#   2. configure and build (plots off) against python3 -c 'import torch; print(torch.utils.cmake_prefix_path)'
#   3. the unit tests
#   4. the smoke experiment on cuda
#   5. bench/vs_eager.py on ResNeXt-29 8x64d (CIFAR size, batch 128), fp32 and bf16, channels_last against
#      eager's better layout: images/s, MFU against the card's peak, ratio to eager, peak memory
#   6. a 2-epoch CIFAR-shaped synthetic run of ResNeXt-29 8x64d on cuda, stopped after epoch 1 and resumed:
#      checks that it resumed, finished, and that the training loss fell
# Targets when this runs: >= 35% MFU in bf16 and >= 1.1x eager on the same card.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS_DIR=bench/gpu-debs
# Debian 12 packages the build needs besides LibTorch (plots are off: no gnuplot, no boost), pkgconf in
# case the machine has no pkg-config, the test framework, and the dataset some tests read.
PACKAGES="libfmt9 libfmt-dev libyaml-cpp0.7 libyaml-cpp-dev libsqlite3-0 libsqlite3-dev nlohmann-json3-dev
  libcli11-dev zlib1g zlib1g-dev libturbojpeg0 libturbojpeg0-dev libpng16-16 libpng-dev pkgconf-bin libpkgconf3
  libgtest-dev libgmock-dev dataset-fashion-mnist"

if [[ "${1:-}" == "--fetch" ]]; then
  mkdir -p "$DEBS_DIR"
  (cd "$DEBS_DIR" && apt-get download $PACKAGES)
  ls -l "$DEBS_DIR"
  echo "now run bench/gpu_check.sh on the CUDA machine with $DEBS_DIR carried along"
  exit 0
fi

WORK=${WORK:-/tmp/ablate-gpu}
BUILD=$WORK/build
DEPS=$WORK/deps
JOBS=${JOBS:-$(nproc)}
LOG=${OUT:-$WORK}/gpu_check.log
mkdir -p "$WORK" "$(dirname "$LOG")"
exec > >(tee "$LOG") 2>&1
step() { echo; echo "== $(date +%H:%M:%S) $*"; }

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 - <<'EOF'
import torch
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, "
      f"device {torch.cuda.get_device_name() if torch.cuda.is_available() else 'none'}, "
      f"CXX11 ABI {torch._C._GLIBCXX_USE_CXX11_ABI}")
EOF
TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
if [[ "$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')" != 1 ]]; then
  echo "gpu_check: this torch uses the pre-C++11 std::string ABI; Debian's libyaml-cpp and libfmt use the new"
  echo "one and cannot link with it. Use a torch built with the C++11 ABI (pip wheels from 2.7 on)." >&2
  exit 1
fi

step "1. unpack $DEBS_DIR into $DEPS"
if ! ls "$DEBS_DIR"/*.deb >/dev/null 2>&1; then
  echo "gpu_check: no .deb files in $DEBS_DIR: run bench/gpu_check.sh --fetch on Debian 12 first" >&2
  exit 1
fi
rm -rf "$DEPS" && mkdir -p "$DEPS"
for deb in "$DEBS_DIR"/*.deb; do
  if command -v dpkg >/dev/null 2>&1; then
    dpkg -x "$deb" "$DEPS"
  else  # a .deb is an ar archive holding data.tar.*
    (cd "$WORK" && rm -rf deb && mkdir deb && cd deb && ar x "$OLDPWD/$deb" && tar -xf data.tar.* -C "$DEPS")
  fi
done
ARCH_LIB=$DEPS/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$ARCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export ABLATE_DATA=$DEPS/usr/share/datasets  # fashion-mnist for the tests that read it
# libturbojpeg is found through pkg-config: its .pc files say /usr, the sysroot moves them under $DEPS.
PKG_CONFIG=$(command -v pkg-config || command -v pkgconf || echo "$DEPS/usr/bin/pkgconf")
export PKG_CONFIG_SYSROOT_DIR=$DEPS PKG_CONFIG_LIBDIR=$ARCH_LIB/pkgconfig:$DEPS/usr/share/pkgconfig

step "2. configure and build (plots off) against $TORCH_PREFIX"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DABLATE_WITH_PLOTS=OFF \
  -DCMAKE_PREFIX_PATH="$TORCH_PREFIX;$DEPS/usr;$ARCH_LIB/cmake;$DEPS/usr/share/cmake" \
  -DCMAKE_LIBRARY_ARCHITECTURE=x86_64-linux-gnu -DCMAKE_INCLUDE_PATH="$DEPS/usr/include" \
  -DCMAKE_LIBRARY_PATH="$ARCH_LIB" -DPKG_CONFIG_EXECUTABLE="$PKG_CONFIG"
time cmake --build "$BUILD" -j "$JOBS"
ABLATE=$BUILD/ablate

step "3. unit tests"
ctest --test-dir "$BUILD" -j "$JOBS" --output-on-failure || echo "gpu_check: some unit tests failed (above)"

step "4. smoke experiment on cuda"
"$ABLATE" run smoke --profile one-seed --device cuda --db "$WORK/smoke.db" --checkpoints "$WORK/smoke-ckpt" \
  --retry-failed
"$ABLATE" table smoke --profile one-seed --db "$WORK/smoke.db"

step "5. vs eager: ResNeXt-29 8x64d, CIFAR size, batch 128"
for precision in fp32 bf16; do
  python3 bench/vs_eager.py --build "$BUILD" --device cuda --precision "$precision" --nets resnext29-8x64d \
    --rounds 5 --train-steps 20 --eval-batches 4
done

step "6. 2 epochs of CIFAR-shaped synthetic data on cuda, stopped after epoch 1, resumed"
DB=$WORK/resume.db CKPT=$WORK/resume-ckpt
rm -rf "$DB"* "$CKPT"
RUN=("$ABLATE" run cifar-cardinality-width --only "ResNeXt-29 8x64d" --device cuda --db "$DB" --checkpoints "$CKPT"
     --set train.epochs=2 --set train.precision=bf16 --set 'train.schedule.milestones=[]'
     --set data.dataset=synthetic --set data.synthetic_train_size=10000 --set data.synthetic_test_size=2000
     --set data.synthetic_image_size=32 --set data.synthetic_channels=3 --set data.synthetic_classes=10
     --set data.synthetic_noise=0.5)
"${RUN[@]}" &
pid=$!
until compgen -G "$CKPT/*/epoch-1.pt" >/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "gpu_check: the run ended before its first checkpoint" >&2; exit 1; fi
  sleep 0.5
done
kill -INT "$pid"
wait "$pid" || echo "first attempt exited with status $? (130 = stopped by the signal, as intended)"
"${RUN[@]}"  # resumes after epoch 1
python3 - "$DB" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
status, epochs = db.execute("SELECT status, epochs_done FROM run_summary").fetchone()
loss = dict(db.execute("SELECT epoch, value FROM metric_history WHERE name = 'train_loss'").fetchall())
speed = dict(db.execute("SELECT epoch, value FROM metric_history WHERE name = 'images_per_sec'").fetchall())
print(f"status {status}, epochs {epochs}, train_loss {loss}, images/s {speed}")
ok = status == "finished" and epochs == 2 and loss[2] < loss[1]
print("resume on cuda:", "OK (stopped after epoch 1, resumed, finished, loss fell)" if ok else "FAILED")
sys.exit(0 if ok else 1)
EOF

step "done: the log is $LOG"
