# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 54.49444444444445 49.06666666666667 59.81666666666667
2 25.2 24.5 26.55
3 18.572222222222223 16.366666666666667 19.933333333333334
EOD
$p0s0_val << EOD
# epoch mean low high
1 29.746666666666666 29.02 30.58
2 22.400000000000002 21.35 23.01
3 19.919999999999998 18.99 20.58
EOD
$p0s1_train << EOD
# epoch mean low high
1 85.60000000000001 83.56666666666666 86.93333333333334
2 62.583333333333336 62.083333333333336 63.166666666666664
3 45.97222222222222 43.43333333333333 49.233333333333334
EOD
$p0s1_val << EOD
# epoch mean low high
1 78.62 75.76 83.8
2 52.02333333333333 48.87 57.66
3 42.02 38.99 47.18
EOD
$p0s2_train << EOD
# epoch mean low high
1 58.916666666666664 55.333333333333336 65.2
2 26.061111111111114 23.5 28.133333333333333
3 19.305555555555557 16.783333333333335 21.35
EOD
$p0s2_val << EOD
# epoch mean low high
1 31.703333333333333 28.22 35.2
2 21.813333333333333 19.47 23.65
3 19.48 17.64 21.15
EOD
$p0s3_train << EOD
# epoch mean low high
1 69.55555555555556 63.25 80.5
2 43.34444444444444 34.93333333333333 54.61666666666667
3 33.52777777777778 28.383333333333333 39.71666666666667
EOD
$p0s3_val << EOD
# epoch mean low high
1 56.71 42.57 83.58
2 37.10333333333333 29.68 46.63
3 32.013333333333335 27.26 37.5
EOD
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid lc rgb '#dddddd'
set yrange [0<*:*]
set xtics 1
set key below
set bmargin 8
set style fill transparent solid 0.15 noborder
set title 'Removing shortcuts (paper Sec. 5.1) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max over up to 3 seeds' font ',14'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s0_train using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s1_train using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s2_train using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s3_train using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-50 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-50 1x64d without shortcuts', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 32x4d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 32x4d without shortcuts', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset output
