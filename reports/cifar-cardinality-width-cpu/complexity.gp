# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
0.312826 16.253333333333334 0.4221505787170155
0.577338 15.700000000000001 0.34385074281340916
1.106362 15.209999999999999 0.14571661996262933
2.16441 14.346666666666666 0.3435274532131474
4.280506 14.276666666666666 0.3033333333333337
EOD
$f1 << EOD
# x mean error
0.312826 16.253333333333334 0.4221505787170155
0.867642 15.706666666666669 0.18773503787104992
1.712762 14.949999999999998 0.2685144316419514
EOD
set lmargin at screen 0.09
set rmargin at screen 0.975
set bmargin at screen 0.1574
set tmargin at screen 0.883
set title 'CIFAR: cardinality vs. width of ResNeXt-29 (paper Table 7, Fig. 7) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set xrange [-0.004588:5.1530000000000005]
set yrange [13.65:17]
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set key at screen 0.5, screen 0.0097 center bottom horizontal samplen 2
set label 1 '1x64d' at screen 0.1495, screen 0.7455 left font ',10' textcolor rgb '#0072B2' front
set label 2 '2x64d' at screen 0.1379, screen 0.6014 left font ',10' textcolor rgb '#0072B2' front
set label 3 '4x64d' at screen 0.2336, screen 0.4711 left font ',10' textcolor rgb '#0072B2' front
set label 4 '8x64d' at screen 0.4672, screen 0.3325 left font ',10' textcolor rgb '#0072B2' front
set label 5 '16x64d' at screen 0.8353, screen 0.2932 left font ',10' textcolor rgb '#0072B2' front
set label 6 '1x128d' at screen 0.2447, screen 0.6271 left font ',10' textcolor rgb '#D55E00' front
set label 7 '1x192d' at screen 0.3947, screen 0.439 left font ',10' textcolor rgb '#D55E00' front
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title 'cardinality (d = 64)', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title 'width (C = 1)'
unset output
