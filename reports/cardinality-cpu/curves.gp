# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 58.43888888888889 58.43888888888889 58.43888888888889
2 25.505555555555556 25.505555555555556 25.505555555555556
3 18.61111111111111 18.61111111111111 18.61111111111111
EOD
$p0s0_val << EOD
# epoch mean low high
1 32.416666666666664 25.41 46.28
2 21.686666666666667 18.59 26.57
3 19.39 16.95 23.76
EOD
$p0s1_train << EOD
# epoch mean low high
1 62.41111111111112 62.41111111111112 62.41111111111112
2 26.055555555555557 26.055555555555557 26.055555555555557
3 18.75 18.75 18.75
EOD
$p0s1_val << EOD
# epoch mean low high
1 32.660000000000004 29.09 37.92
2 22.47 20.33 25.32
3 19.89 18.34 22.6
EOD
$p0s2_train << EOD
# epoch mean low high
1 62.33888888888888 62.33888888888888 62.33888888888888
2 32.30555555555556 32.30555555555556 32.30555555555556
3 20.86111111111111 20.86111111111111 20.86111111111111
EOD
$p0s2_val << EOD
# epoch mean low high
1 48.703333333333326 27.21 79.24
2 23.99666666666667 21.21 29.26
3 21.12 19.2 24.81
EOD
$p0s3_train << EOD
# epoch mean low high
1 76.45555555555555 76.45555555555555 76.45555555555555
2 46.73333333333334 46.73333333333334 46.73333333333334
3 30.349999999999998 30.349999999999998 30.349999999999998
EOD
$p0s3_val << EOD
# epoch mean low high
1 62.13333333333335 34.67 83.61
2 36.16 24.16 48.34
3 28.573333333333334 22.26 36.97
EOD
$p0s4_train << EOD
# epoch mean low high
1 68.07777777777778 68.07777777777778 68.07777777777778
2 28.777777777777775 28.777777777777775 28.777777777777775
3 21.927777777777777 21.927777777777777 21.927777777777777
EOD
$p0s4_val << EOD
# epoch mean low high
1 36.053333333333335 33.34 37.87
2 24.913333333333338 21.8 27.73
3 22.043333333333333 19.07 23.79
EOD
$p1s0_train << EOD
# epoch mean low high
1 52.68333333333334 52.68333333333334 52.68333333333334
2 24.66111111111111 24.66111111111111 24.66111111111111
3 17.33888888888889 17.33888888888889 17.33888888888889
EOD
$p1s0_val << EOD
# epoch mean low high
1 27.223333333333333 24.76 29.45
2 21.253333333333334 19.05 22.59
3 18.98 17.24 20.56
EOD
$p1s1_train << EOD
# epoch mean low high
1 61.49444444444445 61.49444444444445 61.49444444444445
2 27.655555555555555 27.655555555555555 27.655555555555555
3 20.3 20.3 20.3
EOD
$p1s1_val << EOD
# epoch mean low high
1 33.74333333333333 28.86 37.26
2 24.299999999999997 21.27 26.55
3 21.073333333333334 19.67 23.27
EOD
$p1s2_train << EOD
# epoch mean low high
1 58.78888888888889 58.78888888888889 58.78888888888889
2 27.41111111111111 27.41111111111111 27.41111111111111
3 20.155555555555555 20.155555555555555 20.155555555555555
EOD
$p1s2_val << EOD
# epoch mean low high
1 32.95333333333333 32.27 34.2
2 23.19333333333334 22.26 24.35
3 21.173333333333332 19.5 22.62
EOD
$p1s3_train << EOD
# epoch mean low high
1 57.53888888888889 57.53888888888889 57.53888888888889
2 26.472222222222225 26.472222222222225 26.472222222222225
3 20.366666666666667 20.366666666666667 20.366666666666667
EOD
$p1s3_val << EOD
# epoch mean low high
1 29.983333333333334 27.19 32.63
2 25.406666666666666 23.35 28.6
3 21.33 20.49 21.81
EOD
$p1s4_train << EOD
# epoch mean low high
1 61.11666666666667 61.11666666666667 61.11666666666667
2 28.683333333333334 28.683333333333334 28.683333333333334
3 19.983333333333334 19.983333333333334 19.983333333333334
EOD
$p1s4_val << EOD
# epoch mean low high
1 36.346666666666664 25.19 48.84
2 23.19666666666667 19.1 27.63
3 21.169999999999998 17.58 25.3
EOD
set multiplot layout 1,2 title 'Cardinality vs. width at preserved complexity (paper Table 3) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max of val over up to 3 seeds' font ',14'
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set xrange [1:3]
set yrange [13.62:85.61]
set xtics 1
set ytics 20, 20, 90
set key top right opaque box samplen 2 font ',11'
set style fill transparent solid 0.15 noborder
set title '50 layers'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s4_val using 1:3:4 with filledcurves fc rgb '#E69F00' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title '1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title '2x40d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title '4x24d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title '8x14d', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s4_val using 1:2 with linespoints lc rgb '#E69F00' lw 2.5 dt 1 pt 7 ps 0.5 title '32x4d', \
     $p0s4_train using 1:2 with linespoints lc rgb '#E69F00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
set title '101 layers'
plot $p1s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p1s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p1s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p1s4_val using 1:3:4 with filledcurves fc rgb '#E69F00' notitle, \
     $p1s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title '1x64d', \
     $p1s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title '2x40d', \
     $p1s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title '4x24d', \
     $p1s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title '8x14d', \
     $p1s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s4_val using 1:2 with linespoints lc rgb '#E69F00' lw 2.5 dt 1 pt 7 ps 0.5 title '32x4d', \
     $p1s4_train using 1:2 with linespoints lc rgb '#E69F00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset multiplot
unset output
