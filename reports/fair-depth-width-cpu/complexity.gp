# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
37.781952 21.169999999999998 2.24486822181912
EOD
$f1 << EOD
# x mean error
73.69568 19.573333333333334 0.5036312584068267
73.879872 18.286666666666665 1.2288250937831275
78.504 18.616666666666664 0.48697478830473806
EOD
$f2 << EOD
# x mean error
68.616768 25.483333333333334 0.07310570733153748
73.236732 22.123333333333335 0.7630275952487638
EOD
set lmargin at screen 0.09
set rmargin at screen 0.975
set bmargin at screen 0.1574
set tmargin at screen 0.883
set title 'Fair depth vs. width vs. cardinality for ResNeXt at 2x complexity (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'MMACs'
set ylabel 'top-1 error (%)'
set xrange [34.52:87.46000000000001]
set yrange [16.04:26.580000000000002]
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set key at screen 0.5, screen 0.0097 center bottom horizontal samplen 2
set label 1 'ResNeXt-101 32x4d' at screen 0.1545, screen 0.5106 left font ',10' textcolor rgb '#0072B2' front
set label 2 'deeper: ResNeXt 32x4d (depth solved)' at screen 0.4449, screen 0.4007 left font ',10' textcolor rgb '#D55E00' front
set label 3 'cardinality: ResNeXt-101 64x4d' at screen 0.496, screen 0.3121 left font ',10' textcolor rgb '#D55E00' front
set label 4 'wider: ResNeXt-101 32xWd (W solved)' at screen 0.5333, screen 0.4558 left font ',10' textcolor rgb '#D55E00' front
set arrow 4 from first 78.504, first 18.616666666666664 to screen 0.8163, screen 0.4558 nohead lw 0.6 lc rgb '#D55E00' back
set label 5 'deeper: ResNet-200 1x64d' at screen 0.67, screen 0.8075 left font ',10' textcolor rgb '#009E73' front
set label 6 'wider: ResNet-101 1x100d' at screen 0.7472, screen 0.5762 left font ',10' textcolor rgb '#009E73' front
plot $f0 using 1:2:3 with yerrorbars lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title '1x reference', \
     $f1 using 1:2:3 with yerrorbars lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title '2x ResNeXt', \
     $f2 using 1:2:3 with yerrorbars lc rgb '#009E73' lw 2 pt 7 ps 1.2 title '2x ResNet (paper)'
unset output
