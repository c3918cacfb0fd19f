// Rendering through the real gnuplot (headless): valid images of the requested size with something
// drawn, gnuplot's errors reported, and user text that cannot run anything.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "plot_fixture.h"
#include "plots/gnuplot_render.h"
#include "plots/png_inspect.h"
#include "tests/support/read_text.h"
#include "tests/support/temp_path.h"

namespace ablate::plots {
namespace {

namespace fs = std::filesystem;
using ablate::testing::read_text;

// A fresh folder per test under the test temp dir.
fs::path scratch(const std::string& name) {
  const fs::path dir = ablate::testing::unique_temp_path("plots_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(PlotRender, CurvesPngHasTheRequestedSizeAndIsNotBlank) {
  const fs::path dir = scratch("curves");
  RenderOptions options;
  options.width = 800;
  options.height = 450;
  const RenderedFigure out = render_figure(testing::curves_fixture(), options, (dir / "curves.png").string());
  const PngSummary png = inspect_png(out.image_path);
  EXPECT_EQ(png.width, 800);
  EXPECT_EQ(png.height, 450);
  // Four series colours, translucent bands, anti-aliased text: far more than a blank image's one colour.
  EXPECT_GT(png.distinct_colors, 50);
  EXPECT_TRUE(fs::exists(dir / "curves.gp"));
  EXPECT_NE(read_text(dir / "curves.gp").find("set output 'curves.png'"), std::string::npos);
}

TEST(PlotRender, ComplexityAndBarsPng) {
  const fs::path dir = scratch("complexity_bars");
  const RenderedFigure complexity =
      render_figure(testing::complexity_fixture(), {}, (dir / "complexity.png").string());
  const RenderedFigure bars = render_figure(testing::bars_fixture(), {}, (dir / "bars.png").string());
  for (const RenderedFigure& figure : {complexity, bars}) {
    const PngSummary png = inspect_png(figure.image_path);
    EXPECT_EQ(png.width, RenderOptions{}.width);
    EXPECT_EQ(png.height, RenderOptions{}.height);
    EXPECT_GT(png.distinct_colors, 20) << figure.image_path;
  }
}

TEST(PlotRender, SvgCarriesTheTextLiterally) {
  const fs::path dir = scratch("svg");
  RenderOptions options;
  options.format = ImageFormat::svg;
  BarsFigure figure = testing::bars_fixture();
  figure.categories[0] = "ResNet_50 ^2 {a} & b";  // enhanced-text markup that must stay literal
  render_figure(figure, options, (dir / "bars.svg").string());
  const std::string svg = read_text(dir / "bars.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("width=\"1000\""), std::string::npos);
  EXPECT_NE(svg.find("ResNet_50 ^2 {a} &amp; b"), std::string::npos);
  EXPECT_NE(svg.find("without shortcut"), std::string::npos);
}

// The payloads gnuplot could execute if user text were pasted into its source unquoted or
// double-quoted: system() calls, backquote substitution, macros, and a newline that would start a
// command of its own.
std::vector<std::string> payloads(const fs::path& dir) {
  const std::string m = (dir / "marker").string();
  return {"x\" . system(\"touch " + m + "1\") . \"",
          "`touch " + m + "2`",
          "x'; system('touch " + m + "3'); print '",
          "x\nsystem('touch " + m + "4')\n",
          "@evil x",
          "trailing backslash \\"};
}

TEST(PlotRender, InjectedTextIsDrawnAndRunsNothing) {
  const fs::path dir = scratch("injection");
  const std::vector<std::string> names = payloads(dir);
  CurvesFigure curves = testing::curves_fixture();
  curves.title = names[0];
  curves.note = names[3];
  curves.panels[0].title = names[2];
  curves.panels[0].series[0].name = names[1];
  curves.panels[0].series[1].name = names[4];
  curves.panels[1].series[0].name = names[5];
  curves.x_label = names[2];
  ComplexityFigure complexity = testing::complexity_fixture();
  complexity.series[0].name = names[0];
  complexity.series[0].points[0].label = names[1];
  complexity.series[1].points[1].label = names[3];
  BarsFigure bars = testing::bars_fixture();
  bars.categories = {names[0], names[1]};
  bars.series[0].name = names[2];
  bars.y_label = names[3];

  RenderOptions svg;
  svg.format = ImageFormat::svg;
  render_figure(curves, svg, (dir / "curves.svg").string());
  render_figure(complexity, svg, (dir / "complexity.svg").string());
  render_figure(bars, {}, (dir / "bars.png").string());
  for (int i = 1; i <= 4; ++i) {
    EXPECT_FALSE(fs::exists(dir / ("marker" + std::to_string(i)))) << "payload " << i << " ran";
  }
  // Drawn literally (the SVG keeps text as text; gnuplot escapes only XML's own characters).
  const std::string drawn = read_text(dir / "curves.svg");
  EXPECT_NE(drawn.find("`touch " + (dir / "marker").string() + "2`"), std::string::npos);
  EXPECT_NE(drawn.find("@evil x"), std::string::npos);
  EXPECT_NE(drawn.find("system('touch "), std::string::npos);
}

TEST(PlotRender, TheMarkerWouldShowARunCommand) {
  // Control for the test above: the same payload double-quoted in a raw script does run, so the
  // marker check is able to fail.
  const fs::path dir = scratch("control");
  const std::string marker = (dir / "ran").string();
  run_gnuplot("set terminal svg\nset output '" + (dir / "x.svg").string() + "'\nset title \"`touch " + marker +
              "`\"\nplot x\n");
  EXPECT_TRUE(fs::exists(marker));
}

TEST(PlotRender, GnuplotErrorsAreReported) {
  // A long tail after the error: gnuplot exits early and writing the rest must not kill us (SIGPIPE).
  const std::string script = "print undefined_thing\n" + std::string(1 << 20, '#') + "\n";
  try {
    run_gnuplot(script);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("undefined variable: undefined_thing"), std::string::npos) << e.what();
  }
  GnuplotOptions missing;
  missing.executable = "/nonexistent/gnuplot";
  EXPECT_THROW(run_gnuplot("print 1\n", "", missing), std::runtime_error);
}

// A PNG with one IDAT, every row filter 0, from raw RGB rows.
void write_png(const fs::path& path, int width, int height, const std::vector<unsigned char>& rgb) {
  auto be32 = [](std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
  };
  auto chunk = [&](std::string& out, const std::string& type, const std::string& data) {
    be32(out, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    out += body;
    be32(out, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
  };
  std::string raw;
  for (int y = 0; y < height; ++y) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(&rgb[static_cast<std::size_t>(y) * width * 3]), width * 3);
  }
  std::vector<unsigned char> packed(compressBound(raw.size()));
  uLongf packed_size = packed.size();
  compress(packed.data(), &packed_size, reinterpret_cast<const Bytef*>(raw.data()), raw.size());
  std::string ihdr;
  be32(ihdr, width);
  be32(ihdr, height);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1a\n";
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", std::string(reinterpret_cast<const char*>(packed.data()), packed_size));
  chunk(png, "IEND", "");
  std::ofstream(path, std::ios::binary) << png;
}

TEST(PngInspect, CountsColoursOfAKnownImage) {
  const fs::path dir = scratch("png");
  std::vector<unsigned char> blank(5 * 3 * 3, 255);
  write_png(dir / "blank.png", 5, 3, blank);
  const PngSummary flat = inspect_png((dir / "blank.png").string());
  EXPECT_EQ(flat.width, 5);
  EXPECT_EQ(flat.height, 3);
  EXPECT_EQ(flat.distinct_colors, 1);
  std::vector<unsigned char> two = blank;
  two[0] = 0;  // one red-less pixel
  write_png(dir / "two.png", 5, 3, two);
  EXPECT_EQ(inspect_png((dir / "two.png").string()).distinct_colors, 2);

  std::ofstream(dir / "not.png") << "GIF89a";
  EXPECT_THROW(inspect_png((dir / "not.png").string()), std::runtime_error);
  const std::string whole = read_text(dir / "two.png");
  std::ofstream(dir / "cut.png", std::ios::binary) << whole.substr(0, whole.size() - 20);
  EXPECT_THROW(inspect_png((dir / "cut.png").string()), std::runtime_error);
}

}  // namespace
}  // namespace ablate::plots
