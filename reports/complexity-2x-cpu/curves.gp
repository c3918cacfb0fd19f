# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 52.68333333333334 52.68333333333334 52.68333333333334
2 24.66111111111111 24.66111111111111 24.66111111111111
3 17.33888888888889 17.33888888888889 17.33888888888889
EOD
$p0s0_val << EOD
# epoch mean low high
1 27.223333333333333 24.76 29.45
2 21.253333333333334 19.05 22.59
3 18.98 17.24 20.56
EOD
$p0s1_train << EOD
# epoch mean low high
1 61.11666666666667 61.11666666666667 61.11666666666667
2 28.683333333333334 28.683333333333334 28.683333333333334
3 19.983333333333334 19.983333333333334 19.983333333333334
EOD
$p0s1_val << EOD
# epoch mean low high
1 36.346666666666664 25.19 48.84
2 23.19666666666667 19.1 27.63
3 21.169999999999998 17.58 25.3
EOD
$p1s0_train << EOD
# epoch mean low high
1 69.33888888888889 69.33888888888889 69.33888888888889
2 33.46666666666667 33.46666666666667 33.46666666666667
3 24.861111111111114 24.861111111111114 24.861111111111114
EOD
$p1s0_val << EOD
# epoch mean low high
1 40.54666666666666 34.05 52.29
2 27.843333333333334 26.38 29.77
3 25.483333333333334 25.34 25.58
EOD
$p1s1_train << EOD
# epoch mean low high
1 70.8888888888889 70.8888888888889 70.8888888888889
2 32.21666666666666 32.21666666666666 32.21666666666666
3 22.25 22.25 22.25
EOD
$p1s1_val << EOD
# epoch mean low high
1 53.45333333333334 33.84 81.34
2 24.23 22.38 26.14
3 22.123333333333335 20.66 23.23
EOD
$p1s2_train << EOD
# epoch mean low high
1 55.42777777777778 55.42777777777778 55.42777777777778
2 25.244444444444444 25.244444444444444 25.244444444444444
3 18.92222222222222 18.92222222222222 18.92222222222222
EOD
$p1s2_val << EOD
# epoch mean low high
1 30.110000000000003 27.89 33.63
2 22.33666666666667 21.48 23.03
3 19.826666666666668 18.59 20.59
EOD
$p1s3_train << EOD
# epoch mean low high
1 49.67777777777778 49.67777777777778 49.67777777777778
2 22.094444444444445 22.094444444444445 22.094444444444445
3 16.666666666666668 16.666666666666668 16.666666666666668
EOD
$p1s3_val << EOD
# epoch mean low high
1 26.856666666666666 23.57 30.61
2 22.36333333333333 18.24 27.24
3 18.286666666666665 16.64 20.69
EOD
set multiplot layout 1,2 title 'Deeper, wider or more cardinality at 2x complexity (paper Table 4) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max of val over up to 3 seeds' font ',14'
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set xrange [1:3]
set yrange [13.41:83.28]
set xtics 1
set ytics 20, 20, 90
set key top right opaque box samplen 2 font ',11'
set style fill transparent solid 0.15 noborder
set title '1x complexity references'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-101 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 32x4d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
set title '2x complexity models'
plot $p1s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p1s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p1s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p1s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-200 1x64d (deeper)', \
     $p1s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-101 1x100d (wider)', \
     $p1s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 2x64d', \
     $p1s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 64x4d', \
     $p1s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset multiplot
unset output
