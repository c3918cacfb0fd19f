# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 57.75555555555555 51.8 66.98333333333333
2 26.86666666666667 23.266666666666666 30.416666666666668
3 20.36666666666667 16.983333333333334 24.45
EOD
$p0s0_val << EOD
# epoch mean low high
1 32.20333333333333 28.18 38.15
2 24.59 20.75 30.03
3 20.330000000000002 18.37 22.19
EOD
$p0s1_train << EOD
# epoch mean low high
1 56.81111111111111 51.3 61.5
2 25.872222222222224 22.783333333333335 28.283333333333335
3 18.522222222222222 16.466666666666665 20.6
EOD
$p0s1_val << EOD
# epoch mean low high
1 29.58666666666667 27.95 30.6
2 22.23 20.49 24.36
3 19.88 18.75 21.46
EOD
$p0s2_train << EOD
# epoch mean low high
1 72.3 59.45 82.8
2 36.58888888888889 28.15 42.81666666666667
3 25.17222222222222 18.95 30.166666666666668
EOD
$p0s2_val << EOD
# epoch mean low high
1 45.36000000000001 36.02 54.22
2 28.576666666666668 22.67 32.97
3 24.99 20.1 28.3
EOD
$p0s3_train << EOD
# epoch mean low high
1 67.17222222222222 65.61666666666666 69.61666666666666
2 31.927777777777777 28.483333333333334 36.55
3 22.833333333333332 21 24.25
EOD
$p0s3_val << EOD
# epoch mean low high
1 52.806666666666665 36 72.82
2 25.526666666666667 25.14 26.18
3 22.646666666666665 22.29 22.91
EOD
$p0s4_train << EOD
# epoch mean low high
1 57.50555555555555 51.916666666666664 62.36666666666667
2 24.8 24.083333333333332 25.566666666666666
3 17.849999999999998 16.583333333333332 19.216666666666665
EOD
$p0s4_val << EOD
# epoch mean low high
1 31.72333333333334 29.1 34.77
2 21.043333333333333 19.45 22.32
3 18.643333333333334 17.46 19.98
EOD
$p0s5_train << EOD
# epoch mean low high
1 52.550000000000004 50.25 54.733333333333334
2 23.53333333333333 22.566666666666666 25.05
3 16.333333333333332 15.616666666666667 17.433333333333334
EOD
$p0s5_val << EOD
# epoch mean low high
1 28.103333333333335 25.54 30.14
2 21.016666666666666 20.07 22.48
3 18.58666666666667 18.02 19.55
EOD
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid lc rgb '#dddddd'
set yrange [0<*:*]
set xtics 1
set key below
set bmargin 10
set style fill transparent solid 0.15 noborder
set title 'Deeper, wider or more cardinality at 2x complexity (paper Table 4) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max over up to 3 seeds' font ',14'
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
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-101 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 32x4d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-200 1x64d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-101 1x100d', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s4_val using 1:2 with linespoints lc rgb '#E69F00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 2x64d', \
     $p0s4_train using 1:2 with linespoints lc rgb '#E69F00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s5_val using 1:2 with linespoints lc rgb '#56B4E9' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 64x4d', \
     $p0s5_train using 1:2 with linespoints lc rgb '#56B4E9' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset output
