# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
1.269874 28.573333333333334 4.372308060713217
1.453722 22.043333333333333 1.4942259237180666
1.46881 21.12 1.8455080601287004
1.476354 19.89 1.3596690773861122
1.483898 19.39 2.1899543374235004
EOD
$f1 << EOD
# x mean error
2.296946 21.33 0.42142615011411005
2.663578 21.169999999999998 2.24486822181912
2.672138 21.173333333333332 0.9077689378054554
2.676418 21.073333333333334 1.112359853844269
2.680698 18.98 0.9617345441094094
EOD
set lmargin at screen 0.09
set rmargin at screen 0.975
set bmargin at screen 0.1574
set tmargin at screen 0.883
set title 'Cardinality vs. width at preserved complexity (paper Table 3) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set xrange [1.157:2.991]
set yrange [15.31:34.84]
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set key at screen 0.5, screen 0.0097 center bottom horizontal samplen 2
set label 1 '8x14d' at screen 0.1545, screen 0.6502 left font ',10' textcolor rgb '#0072B2' front
set label 2 '32x4d' at screen 0.1812, screen 0.4076 left font ',10' textcolor rgb '#0072B2' front
set label 3 '4x24d' at screen 0.2505, screen 0.4217 left font ',10' textcolor rgb '#0072B2' front
set arrow 3 from first 1.46881, first 21.12 to screen 0.2495, screen 0.4217 nohead lw 0.6 lc rgb '#0072B2' back
set label 4 '2x40d' at screen 0.2541, screen 0.3276 left font ',10' textcolor rgb '#0072B2' front
set label 5 '1x64d' at screen 0.2527, screen 0.2848 left font ',10' textcolor rgb '#0072B2' front
set label 6 '8x14d' at screen 0.6501, screen 0.3811 left font ',10' textcolor rgb '#D55E00' front
set label 7 '32x4d' at screen 0.765, screen 0.3751 left font ',10' textcolor rgb '#D55E00' front
set label 8 '4x24d' at screen 0.8311, screen 0.3753 left font ',10' textcolor rgb '#D55E00' front
set label 9 '2x40d' at screen 0.8282, screen 0.3473 left font ',10' textcolor rgb '#D55E00' front
set label 10 '1x64d' at screen 0.8353, screen 0.2938 left font ',10' textcolor rgb '#D55E00' front
plot $f0 using 1:2:3 with yerrorbars lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title '50 layers', \
     $f1 using 1:2:3 with yerrorbars lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title '101 layers'
unset output
