# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 47.422222222222224 47.422222222222224 47.422222222222224
2 21.527777777777782 21.527777777777782 21.527777777777782
3 14.644444444444446 14.644444444444446 14.644444444444446
EOD
$p0s0_val << EOD
# epoch mean low high
1 35.11666666666667 23.39 51.5
2 18.5 16.89 19.78
3 16.253333333333334 15.45 16.88
EOD
$p0s1_train << EOD
# epoch mean low high
1 43.66111111111112 43.66111111111112 43.66111111111112
2 20.094444444444445 20.094444444444445 20.094444444444445
3 12.977777777777776 12.977777777777776 12.977777777777776
EOD
$p0s1_val << EOD
# epoch mean low high
1 25.393333333333334 23.1 28.89
2 17.676666666666666 16.61 18.52
3 15.700000000000001 15.12 16.31
EOD
$p0s2_train << EOD
# epoch mean low high
1 41.52777777777778 41.52777777777778 41.52777777777778
2 18.716666666666665 18.716666666666665 18.716666666666665
3 12.133333333333335 12.133333333333335 12.133333333333335
EOD
$p0s2_val << EOD
# epoch mean low high
1 23.26 19.71 27.1
2 17.44 16.59 18.2
3 15.209999999999999 14.94 15.44
EOD
$p0s3_train << EOD
# epoch mean low high
1 37.57222222222222 37.57222222222222 37.57222222222222
2 16.983333333333334 16.983333333333334 16.983333333333334
3 10.800000000000002 10.800000000000002 10.800000000000002
EOD
$p0s3_val << EOD
# epoch mean low high
1 21.563333333333333 20.28 23.67
2 16.476666666666667 15.94 17.51
3 14.346666666666666 13.66 14.71
EOD
$p0s4_train << EOD
# epoch mean low high
1 35.72222222222222 35.72222222222222 35.72222222222222
2 16.81111111111111 16.81111111111111 16.81111111111111
3 10.233333333333333 10.233333333333333 10.233333333333333
EOD
$p0s4_val << EOD
# epoch mean low high
1 21.560000000000002 19.59 23.78
2 16.016666666666666 15.62 16.46
3 14.276666666666666 13.92 14.88
EOD
$p1s0_train << EOD
# epoch mean low high
1 44.81666666666666 44.81666666666666 44.81666666666666
2 19.666666666666668 19.666666666666668 19.666666666666668
3 13.161111111111111 13.161111111111111 13.161111111111111
EOD
$p1s0_val << EOD
# epoch mean low high
1 24.103333333333335 22.29 26.63
2 17.906666666666666 17.32 18.33
3 15.706666666666669 15.34 15.96
EOD
$p1s1_train << EOD
# epoch mean low high
1 43.51666666666667 43.51666666666667 43.51666666666667
2 19.13888888888889 19.13888888888889 19.13888888888889
3 11.96111111111111 11.96111111111111 11.96111111111111
EOD
$p1s1_val << EOD
# epoch mean low high
1 25.44333333333333 23.05 29.99
2 17.349999999999998 16.52 18.92
3 14.949999999999998 14.61 15.48
EOD
set multiplot layout 1,2 title 'CIFAR: cardinality vs. width of ResNeXt-29 (paper Table 7, Fig. 7) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max of val over up to 3 seeds' font ',14'
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set xrange [1:3]
set yrange [8.17:52.74]
set xtics 1
set ytics 10, 10, 55
set key top right opaque box samplen 2 font ',11'
set style fill transparent solid 0.15 noborder
set title 'cardinality (d = 64)'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s4_val using 1:3:4 with filledcurves fc rgb '#E69F00' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title '1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title '2x64d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title '4x64d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title '8x64d', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s4_val using 1:2 with linespoints lc rgb '#E69F00' lw 2.5 dt 1 pt 7 ps 0.5 title '16x64d', \
     $p0s4_train using 1:2 with linespoints lc rgb '#E69F00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
set title 'width (C = 1)'
plot $p1s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p1s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title '1x128d', \
     $p1s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title '1x192d', \
     $p1s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset multiplot
unset output
