# ablate figure: training curves (paper Fig. 5). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'curves.png'
set encoding utf8
$p0s0_train << EOD
# epoch mean low high
1 32.300000000000004 32.300000000000004 32.300000000000004
2 29.3 29.3 29.3
3 26.3 26.3 26.3
4 23.3 23.3 23.3
EOD
$p0s0_val << EOD
# epoch mean low high
1 37.300000000000004 37 37.6
2 34.300000000000004 34 34.6
3 31.3 31 31.6
4 28.3 28 28.6
EOD
$p0s1_train << EOD
# epoch mean low high
1 31.8 31.8 31.8
2 28.8 28.8 28.8
3 25.8 25.8 25.8
4 22.8 22.8 22.8
EOD
$p0s1_val << EOD
# epoch mean low high
1 36.800000000000004 36.5 37.1
2 33.800000000000004 33.5 34.1
3 30.8 30.5 31.1
4 27.8 27.5 28.1
EOD
$p0s2_train << EOD
# epoch mean low high
1 31.3 31.3 31.3
2 28.15 28.15 28.15
3 25 25 25
4 22 22 22
EOD
$p0s2_val << EOD
# epoch mean low high
1 36.300000000000004 36 36.6
2 33.15 33 33.3
3 30 30 30
4 27 27 27
EOD
$p0s3_train << EOD
# epoch mean low high
1 30.8 30.8 30.8
2 27.8 27.8 27.8
3 24.8 24.8 24.8
4 21.8 21.8 21.8
EOD
$p0s3_val << EOD
# epoch mean low high
1 35.800000000000004 35.5 36.1
2 32.800000000000004 32.5 33.1
3 29.8 29.5 30.1
4 26.8 26.5 27.1
EOD
$p1s0_train << EOD
# epoch mean low high
1 30.3 30.3 30.3
2 27.3 27.3 27.3
3 24.3 24.3 24.3
4 21.3 21.3 21.3
EOD
$p1s0_val << EOD
# epoch mean low high
1 35.300000000000004 35 35.6
2 32.300000000000004 32 32.6
3 29.3 29 29.6
4 26.3 26 26.6
EOD
$p1s1_train << EOD
# epoch mean low high
1 29.5 29.5 29.5
2 26.5 26.5 26.5
3 23.5 23.5 23.5
4 20.5 20.5 20.5
EOD
$p1s1_val << EOD
# epoch mean low high
1 34.5 34.5 34.5
2 31.5 31.5 31.5
3 28.5 28.5 28.5
4 25.5 25.5 25.5
EOD
set multiplot layout 1,2 title 'Curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max of val over up to 3 seeds' font ',14'
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set xrange [1:4]
set yrange [19.65:38.11]
set xtics 1
set ytics 20, 5, 37.5
set key top right opaque box samplen 2 font ',11'
set style fill transparent solid 0.15 noborder
set title 'depth 11'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s2_val using 1:3:4 with filledcurves fc rgb '#009E73' notitle, \
     $p0s3_val using 1:3:4 with filledcurves fc rgb '#CC79A7' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet 1x8d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt 2x4d', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s2_val using 1:2 with linespoints lc rgb '#009E73' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt 4x2d', \
     $p0s2_train using 1:2 with linespoints lc rgb '#009E73' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s3_val using 1:2 with linespoints lc rgb '#CC79A7' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt 8x1d', \
     $p0s3_train using 1:2 with linespoints lc rgb '#CC79A7' lw 1.5 dt 2 pt 7 ps 0.5 notitle
set title 'depth 20'
plot $p1s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-20 1x8d', \
     $p1s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-20 | 4x2d', \
     $p1s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset multiplot
unset output
