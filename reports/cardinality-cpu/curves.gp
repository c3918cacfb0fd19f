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
1 67.91666666666667 52.43333333333333 76.76666666666667
2 29.311111111111114 21.8 34.6
3 19.249999999999996 14.65 22.216666666666665
EOD
$p0s1_val << EOD
# epoch mean low high
1 44.31 25.28 65.95
2 22.939999999999998 18.6 25.75
3 19.67 16.81 21.71
EOD
$p0s2_train << EOD
# epoch mean low high
1 69.42777777777776 60.75 82.76666666666667
2 32.97222222222222 26.383333333333333 45.233333333333334
3 22.355555555555554 20.55 25.383333333333333
EOD
$p0s2_val << EOD
# epoch mean low high
1 49.02333333333333 27.54 87.96
2 25.98 23.54 29.66
3 22.416666666666668 20.66 24.65
EOD
$p0s3_train << EOD
# epoch mean low high
1 71.17777777777776 63.516666666666666 77.21666666666667
2 32.56111111111111 26.766666666666666 40.7
3 22.033333333333335 18.916666666666668 24.9
EOD
$p0s3_val << EOD
# epoch mean low high
1 46.20666666666667 31.14 64.24
2 25.016666666666666 21.42 28.02
3 22.09 20.14 23.93
EOD
$p0s4_train << EOD
# epoch mean low high
1 58.916666666666664 55.333333333333336 65.2
2 26.061111111111114 23.5 28.133333333333333
3 19.305555555555557 16.783333333333335 21.35
EOD
$p0s4_val << EOD
# epoch mean low high
1 31.703333333333333 28.22 35.2
2 21.813333333333333 19.47 23.65
3 19.48 17.64 21.15
EOD
$p0s5_train << EOD
# epoch mean low high
1 57.75555555555555 51.8 66.98333333333333
2 26.86666666666667 23.266666666666666 30.416666666666668
3 20.36666666666667 16.983333333333334 24.45
EOD
$p0s5_val << EOD
# epoch mean low high
1 32.20333333333333 28.18 38.15
2 24.59 20.75 30.03
3 20.330000000000002 18.37 22.19
EOD
$p0s6_train << EOD
# epoch mean low high
1 62.794444444444444 51.86666666666667 70.95
2 28.322222222222223 27.416666666666668 29.633333333333333
3 21.822222222222223 21.15 22.55
EOD
$p0s6_val << EOD
# epoch mean low high
1 34.02 27.86 41.94
2 24.14 23.44 24.68
3 22.39 21.74 23.41
EOD
$p0s7_train << EOD
# epoch mean low high
1 62.68888888888889 59.88333333333333 64.3
2 27.23888888888889 26.55 27.666666666666668
3 20.294444444444444 19.6 21.2
EOD
$p0s7_val << EOD
# epoch mean low high
1 32.25666666666667 31.48 33.66
2 24.526666666666667 22.88 26.6
3 20.956666666666667 20.82 21.17
EOD
$p0s8_train << EOD
# epoch mean low high
1 63.41111111111112 54.81666666666667 79.65
2 31.51666666666667 25.883333333333333 41.81666666666667
3 22.844444444444445 19.216666666666665 29.016666666666666
EOD
$p0s8_val << EOD
# epoch mean low high
1 45.169999999999995 28.94 76.03
2 25.636666666666667 23.13 30.48
3 23.25666666666667 21.04 27.57
EOD
$p0s9_train << EOD
# epoch mean low high
1 56.81111111111111 51.3 61.5
2 25.872222222222224 22.783333333333335 28.283333333333335
3 18.522222222222222 16.466666666666665 20.6
EOD
$p0s9_val << EOD
# epoch mean low high
1 29.58666666666667 27.95 30.6
2 22.23 20.49 24.36
3 19.88 18.75 21.46
EOD
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid lc rgb '#dddddd'
set yrange [0<*:*]
set xtics 1
set key below
set bmargin 14
set style fill transparent solid 0.15 noborder
set title 'Cardinality vs. width at preserved complexity (paper Table 3) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max over up to 3 seeds' font ',14'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s0_train using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s1_train using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s2_train using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s3_train using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s4_val using 1:3:4 with filledcurves fc rgb '#E69F00' notitle, \
     $p0s4_train using 1:3:4 with filledcurves fc rgb '#E69F00' notitle, \
     $p0s5_val using 1:3:4 with filledcurves fc rgb '#56B4E9' notitle, \
     $p0s5_train using 1:3:4 with filledcurves fc rgb '#56B4E9' notitle, \
     $p0s6_val using 1:3:4 with filledcurves fc rgb '#000000' notitle, \
     $p0s6_train using 1:3:4 with filledcurves fc rgb '#000000' notitle, \
     $p0s7_val using 1:3:4 with filledcurves fc rgb '#8C564B' notitle, \
     $p0s7_train using 1:3:4 with filledcurves fc rgb '#8C564B' notitle, \
     $p0s8_val using 1:3:4 with filledcurves fc rgb '#7F7F7F' notitle, \
     $p0s8_train using 1:3:4 with filledcurves fc rgb '#7F7F7F' notitle, \
     $p0s9_val using 1:3:4 with filledcurves fc rgb '#BCBD22' notitle, \
     $p0s9_train using 1:3:4 with filledcurves fc rgb '#BCBD22' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-50 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 2x40d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 4x24d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 8x14d', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s4_val using 1:2 with linespoints lc rgb '#E69F00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 32x4d', \
     $p0s4_train using 1:2 with linespoints lc rgb '#E69F00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s5_val using 1:2 with linespoints lc rgb '#56B4E9' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-101 1x64d', \
     $p0s5_train using 1:2 with linespoints lc rgb '#56B4E9' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s6_val using 1:2 with linespoints lc rgb '#000000' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 2x40d', \
     $p0s6_train using 1:2 with linespoints lc rgb '#000000' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s7_val using 1:2 with linespoints lc rgb '#8C564B' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 4x24d', \
     $p0s7_train using 1:2 with linespoints lc rgb '#8C564B' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s8_val using 1:2 with linespoints lc rgb '#7F7F7F' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 8x14d', \
     $p0s8_train using 1:2 with linespoints lc rgb '#7F7F7F' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s9_val using 1:2 with linespoints lc rgb '#BCBD22' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 32x4d', \
     $p0s9_train using 1:2 with linespoints lc rgb '#BCBD22' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset output
