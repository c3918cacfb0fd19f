# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 43.33 42.53 44.13
2 32.7 31.9 33.5
3 25.93 25.13 26.73
4 21.6 20.8 22.4
5 18.85 18.05 19.65
6 17.09 16.29 17.89
7 15.97 15.17 16.77
8 15.26 14.46 16.06
EOD
$p0s0_val << EOD
# epoch mean low high
1 41.59 40.99 42.19
2 33.04 32.44 33.64
3 27.59 26.99 28.19
4 24.12 23.52 24.72
5 21.9 21.3 22.5
6 20.49 19.89 21.09
7 19.59 18.99 20.19
8 19.01 18.41 19.61
EOD
$p0s1_train << EOD
# epoch mean low high
1 40.97 40.27 41.67
2 30.11 29.41 30.81
3 23.18 22.48 23.88
4 18.77 18.07 19.47
5 15.95 15.25 16.65
6 14.16 13.46 14.86
7 13.01 12.31 13.71
8 12.28 11.58 12.98
EOD
$p0s1_val << EOD
# epoch mean low high
1 38.95 38.45 39.45
2 30.64 30.14 31.14
3 25.33 24.83 25.83
4 21.95 21.45 22.45
5 19.79 19.29 20.29
6 18.42 17.92 18.92
7 17.54 17.04 18.04
8 16.98 16.48 17.48
EOD
$p1s0_train << EOD
# epoch mean low high
1 41.97 41.17 42.77
2 31.11 30.31 31.91
3 24.18 23.38 24.98
4 19.77 18.97 20.57
5 16.95 16.15 17.75
6 15.16 14.36 15.96
7 14.01 13.21 14.81
8 13.28 12.48 14.08
EOD
$p1s0_val << EOD
# epoch mean low high
1 40.59 39.99 41.19
2 32.04 31.44 32.64
3 26.59 25.99 27.19
4 23.12 22.52 23.72
5 20.9 20.3 21.5
6 19.49 18.89 20.09
7 18.59 17.99 19.19
8 18.01 17.41 18.61
EOD
$p1s1_val << EOD
# epoch mean low high
1 39.97 39.97 39.97
2 29.11 29.11 29.11
3 22.18 22.18 22.18
4 17.77 17.77 17.77
EOD
set multiplot layout 1,2 title 'Training curves: cardinality vs. width'."\n".'solid: val, dashed: train; bands: min-max over 3 seeds' font ',14'
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set xrange [1:8]
set yrange [9.95:45.11]
set xtics 1
set ytics 10, 10, 45
set key top right opaque box samplen 2 font ',11'
set style fill transparent solid 0.15 noborder
set title 'depth 50'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s0_train using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s1_train using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-50 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 32x4d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
set title 'depth 101'
plot $p1s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s0_train using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-101 1x64d', \
     $p1s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-101 32x4d'
unset multiplot
unset output
