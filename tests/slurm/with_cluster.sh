#!/usr/bin/env bash
# with_cluster.sh COMMAND [ARG...]: runs COMMAND against a private single-node Slurm cluster started for it.
#
# Starts munged, slurmctld and slurmd (Debian's packages, as root or as the current user) from a
# slurm.conf generated in a fresh temporary folder: free ports, this host as the only node with its CPU
# count, no cgroups and no systemd (proctrack/linuxproc, task/none), which containers do not offer; see
# shared/reference/slurm-single-node.md. Waits until `sinfo` shows the node idle, runs COMMAND with
# SLURM_CONF exported (sbatch, squeue, scancel and the jobs find the cluster through it), then stops
# everything by pid: jobs first (scancel, then any process that still carries this cluster's SLURM_CONF),
# then slurmd, slurmctld, munged. Stopping happens on every exit path: COMMAND failing, COMMAND running
# past its time limit, Ctrl-C or SIGTERM.
#
# Exit status: COMMAND's; 77 when the daemons cannot start here (the reason is printed; ctest reports the
# test as skipped, never as passed).
#
# Environment: ABLATE_SLURM_COMMAND_LIMIT (seconds, default 780) bounds COMMAND; it stays below the ctest
# TIMEOUT so that the clean-up still runs when a test hangs. ABLATE_SLURM_KEEP=1 keeps the folder (logs).
set -u

readonly SKIP=77
command_limit=${ABLATE_SLURM_COMMAND_LIMIT:-780}

skip() {
  echo "with_cluster.sh: SKIPPED: $*" >&2
  exit "$SKIP"
}

if [ $# -lt 1 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

for tool in munged slurmctld slurmd sbatch squeue sinfo scancel scontrol timeout; do
  command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed (Debian: munge, slurmctld, slurmd, slurm-client)"
done

folder=$(mktemp -d "${TMPDIR:-/tmp}/ablate-slurm.XXXXXX") || skip "cannot create a temporary folder"
conf="$folder/slurm.conf"
munge_pid="" ctld_pid="" slurmd_pid=""

log() { echo "with_cluster.sh: $*" >&2; }

# Ends a daemon started here: SIGTERM, up to 10 s to exit, then SIGKILL.
stop_pid() {
  local pid=$1 name=$2
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# Processes that carry this cluster's unique SLURM_CONF in their environment: slurmstepd and the job
# steps it started. Never this shell.
cluster_pids() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    [ "$pid" = "${BASHPID:-$$}" ] && continue
    # Other users' processes and ones that exit meanwhile cannot be read: not ours either way.
    if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf"; then echo "$pid"; fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
    # Jobs first, while slurmd is there to end their steps; the cluster is private, so every job is ours.
    SLURM_CONF=$conf scancel --quiet --partition=debug >/dev/null 2>&1
    for _ in $(seq 150); do
      [ -z "$(SLURM_CONF=$conf squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid "$slurmd_pid" slurmd
  stop_pid "$ctld_pid" slurmctld
  local left
  left=$(cluster_pids)
  if [ -n "$left" ]; then
    log "ending job processes left behind:" $left
    kill -KILL $left 2>/dev/null
  fi
  stop_pid "$munge_pid" munged
  if [ "${ABLATE_SLURM_KEEP:-0}" = 1 ]; then
    log "kept $folder"
  else
    rm -rf "$folder"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Listening TCP ports, from /proc (no ss/netstat needed on a bare machine).
listening_ports() {
  local file _ local_address _ state _
  for file in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$file" ] || continue
    # Lines: "sl local_address rem_address st ..."; local_address is HEXIP:HEXPORT, state 0A is LISTEN.
    while read -r _ local_address _ state _; do
      [ "$state" = 0A ] && echo $((16#${local_address##*:}))
    done < <(tail -n +2 "$file")
  done
}

free_port() {
  local used port
  used=" $(listening_ports | tr '\n' ' ') $* "
  for _ in $(seq 200); do
    # Below the ephemeral range (32768+), so no outgoing connection takes it between the check and the bind.
    port=$((20000 + RANDOM % 12000))
    case "$used" in *" $port "*) continue ;; esac
    echo "$port"
    return 0
  done
  return 1
}

# Dumps the tail of the daemons' logs: the reason a start failed.
show_logs() {
  local file
  for file in "$folder"/munged.log "$folder"/slurmctld.log "$folder"/slurmd.log; do
    [ -s "$file" ] || continue
    echo "--- last lines of $file" >&2
    tail -n 15 "$file" >&2
  done
}

user=$(id -un)
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$folder/munge" "$folder/state" "$folder/spool" "$folder/tmp"
chmod 700 "$folder/munge"

# munge: a private key and socket, so the host's munge (if any) is neither needed nor disturbed.
head -c 1024 /dev/urandom >"$folder/munge/munge.key" && chmod 400 "$folder/munge/munge.key"
munged --foreground --force --socket="$folder/munge/munge.socket" --key-file="$folder/munge/munge.key" \
  --pid-file="$folder/munge/munged.pid" --seed-file="$folder/munge/munged.seed" \
  --log-file="$folder/munged.log" >>"$folder/munged.log" 2>&1 &
munge_pid=$!
for _ in $(seq 100); do
  [ -S "$folder/munge/munge.socket" ] && break
  kill -0 "$munge_pid" 2>/dev/null || break
  sleep 0.1
done
if [ ! -S "$folder/munge/munge.socket" ]; then
  show_logs
  skip "munged did not start"
fi

# slurmctld binds its port when it starts; if another process took the port since it was picked, try
# other ones.
started=0
for attempt in 1 2 3; do
  ctld_port=$(free_port) || skip "no free TCP port found"
  slurmd_port=$(free_port "$ctld_port") || skip "no free TCP port found"
  cat >"$conf" <<EOF
# Generated by tests/slurm/with_cluster.sh: a private single-node cluster for one test.
ClusterName=ablatetest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$folder/munge/munge.socket
StateSaveLocation=$folder/state
SlurmdSpoolDir=$folder/spool
TmpFS=$folder/tmp
SlurmctldPidFile=$folder/slurmctld.pid
SlurmdPidFile=$folder/slurmd.pid
SlurmctldLogFile=$folder/slurmctld.log
SlurmdLogFile=$folder/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MailProg=/bin/true
KillWait=10
MinJobAge=600
SchedulerParameters=sched_interval=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  SLURM_CONF=$conf slurmctld -D -i -f "$conf" >>"$folder/slurmctld.out" 2>&1 &
  ctld_pid=$!
  for _ in $(seq 100); do
    kill -0 "$ctld_pid" 2>/dev/null || break
    SLURM_CONF=$conf scontrol ping 2>/dev/null | grep -q UP && { started=1; break; }
    sleep 0.1
  done
  [ "$started" = 1 ] && break
  stop_pid "$ctld_pid" slurmctld
  ctld_pid=""
  log "slurmctld did not come up on port $ctld_port (attempt $attempt)"
done
if [ "$started" != 1 ]; then
  show_logs
  skip "slurmctld did not start"
fi

# slurmd's children (slurmstepd and the jobs) inherit SLURM_CONF: cluster_pids finds them by it.
SLURM_CONF=$conf slurmd -D -f "$conf" >>"$folder/slurmd.out" 2>&1 &
slurmd_pid=$!
idle=0
for _ in $(seq 300); do
  kill -0 "$slurmd_pid" 2>/dev/null || break
  state=$(SLURM_CONF=$conf sinfo -h -o %t 2>/dev/null)
  [ "$state" = idle ] && { idle=1; break; }
  sleep 0.1
done
if [ "$idle" != 1 ]; then
  show_logs
  skip "the node did not become idle within 30 s (sinfo: '${state:-nothing}')"
fi
# A trivial job must run to the end: daemons that start but cannot launch jobs (no privileges to switch
# users, say) are a machine that cannot host the tests, not a failure of the code under test.
probe=$(SLURM_CONF=$conf sbatch --parsable --output=/dev/null --wrap=true 2>&1) || {
  show_logs
  skip "sbatch of a probe job failed: $probe"
}
probe_state=""
for _ in $(seq 300); do
  probe_state=$(SLURM_CONF=$conf scontrol --oneliner show job "$probe" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  case "$probe_state" in PENDING | CONFIGURING | RUNNING | COMPLETING | "") sleep 0.1 ;; *) break ;; esac
done
if [ "$probe_state" != COMPLETED ]; then
  show_logs
  skip "a probe job (sbatch --wrap=true) ended as '${probe_state:-unknown}' instead of COMPLETED"
fi
log "cluster up in $folder: $host, $cpus CPUs, slurmctld port $ctld_port (pid $ctld_pid), slurmd port $slurmd_port (pid $slurmd_pid)"

export SLURM_CONF=$conf
# --kill-after: a COMMAND that ignores SIGTERM is still ended, and cleanup still runs after it.
timeout --kill-after=15 "$command_limit" "$@" &
command_pid=$!
wait "$command_pid"
status=$?
[ "$status" = 124 ] && log "COMMAND ran past its limit of $command_limit s"
if [ "$status" != 0 ]; then show_logs; fi
exit "$status"
