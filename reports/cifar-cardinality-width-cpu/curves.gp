# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 48.50555555555555 45.25 51.36666666666667
2 21.211111111111112 20.25 21.75
3 14.827777777777778 13.316666666666666 15.916666666666666
EOD
$p0s0_val << EOD
# epoch mean low high
1 27.493333333333336 23.63 31.92
2 19.483333333333334 17.3 21.28
3 16.613333333333333 16.08 16.89
EOD
$p0s1_train << EOD
# epoch mean low high
1 44.855555555555554 44.55 45.36666666666667
2 20.01666666666667 19.15 20.783333333333335
3 12.805555555555557 12.316666666666666 13.116666666666667
EOD
$p0s1_val << EOD
# epoch mean low high
1 25.206666666666667 23.62 28.07
2 17.596666666666668 17.14 18.17
3 15.78 15.22 16.4
EOD
$p0s2_train << EOD
# epoch mean low high
1 41.75000000000001 40.31666666666667 43.733333333333334
2 18.37777777777778 17.7 18.733333333333334
3 11.866666666666667 11.216666666666667 12.5
EOD
$p0s2_val << EOD
# epoch mean low high
1 24.403333333333332 22.11 28.58
2 16.81 16.37 17.59
3 15.093333333333334 14.68 15.34
EOD
$p0s3_train << EOD
# epoch mean low high
1 38.05555555555555 36.88333333333333 39.6
2 16.777777777777775 16.55 16.95
3 10.622222222222222 10.483333333333333 10.9
EOD
$p0s3_val << EOD
# epoch mean low high
1 21.116666666666664 19.69 23
2 16.133333333333336 15.48 17.36
3 14.266666666666666 14.17 14.4
EOD
$p0s4_train << EOD
# epoch mean low high
1 35.32222222222222 33.7 37.15
2 16.400000000000002 16.216666666666665 16.716666666666665
3 10.611111111111112 10.266666666666667 11.016666666666667
EOD
$p0s4_val << EOD
# epoch mean low high
1 20.793333333333333 18.97 23.25
2 16.336666666666666 15.58 17.12
3 13.996666666666664 13.59 14.24
EOD
$p0s5_train << EOD
# epoch mean low high
1 45.09444444444444 43.35 46.166666666666664
2 19.972222222222225 18.866666666666667 20.616666666666667
3 13.25 12.533333333333333 13.983333333333333
EOD
$p0s5_val << EOD
# epoch mean low high
1 26.620000000000005 22.37 31.03
2 17.423333333333332 16.31 18.38
3 15.636666666666665 15.36 16.14
EOD
$p0s6_train << EOD
# epoch mean low high
1 41.76111111111111 41.233333333333334 42.05
2 18.53333333333333 17.716666666666665 18.95
3 12.155555555555557 12.083333333333334 12.216666666666667
EOD
$p0s6_val << EOD
# epoch mean low high
1 23.55666666666667 22.2 25.94
2 17.44666666666667 16.72 18.27
3 15.103333333333333 14.85 15.32
EOD
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid lc rgb '#dddddd'
set yrange [0<*:*]
set xtics 1
set key below
set bmargin 11
set style fill transparent solid 0.15 noborder
set title 'CIFAR: cardinality vs. width of ResNeXt-29 (paper Table 7, Fig. 7) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max over up to 3 seeds' font ',14'
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
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 2x64d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 4x64d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 8x64d', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s4_val using 1:2 with linespoints lc rgb '#E69F00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 16x64d', \
     $p0s4_train using 1:2 with linespoints lc rgb '#E69F00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s5_val using 1:2 with linespoints lc rgb '#56B4E9' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 1x128d', \
     $p0s5_train using 1:2 with linespoints lc rgb '#56B4E9' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s6_val using 1:2 with linespoints lc rgb '#000000' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-29 1x192d', \
     $p0s6_train using 1:2 with linespoints lc rgb '#000000' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset output
