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
1 78.97777777777777 78.97777777777777 78.97777777777777
2 50.43888888888889 50.43888888888889 50.43888888888889
3 36.68888888888889 36.68888888888889 36.68888888888889
EOD
$p0s1_val << EOD
# epoch mean low high
1 62.916666666666664 46.8 79.16
2 41.59 34.42 50.25
3 32.913333333333334 28.17 40.67
EOD
$p1s0_train << EOD
# epoch mean low high
1 68.07777777777778 68.07777777777778 68.07777777777778
2 28.777777777777775 28.777777777777775 28.777777777777775
3 21.927777777777777 21.927777777777777 21.927777777777777
EOD
$p1s0_val << EOD
# epoch mean low high
1 36.053333333333335 33.34 37.87
2 24.913333333333338 21.8 27.73
3 22.043333333333333 19.07 23.79
EOD
$p1s1_train << EOD
# epoch mean low high
1 71.26666666666667 71.26666666666667 71.26666666666667
2 44.30555555555555 44.30555555555555 44.30555555555555
3 34.205555555555556 34.205555555555556 34.205555555555556
EOD
$p1s1_val << EOD
# epoch mean low high
1 55.93666666666667 42.41 66.11
2 40.31333333333333 32.68 44.36
3 31.816666666666666 26.84 34.61
EOD
set multiplot layout 1,2 title 'Removing shortcuts (paper Sec. 5.1) (profile cpu): training curves'."\n".'solid: val, dashed: train; mean over seeds; bands: min-max of val over up to 3 seeds' font ',14'
set xlabel 'epoch'
set ylabel 'top-1 error (%)'
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set xrange [1:3]
set yrange [13.84:82.61]
set xtics 1
set ytics 20, 20, 70
set key top right opaque box samplen 2 font ',11'
set style fill transparent solid 0.15 noborder
set title 'ResNet'
plot $p0s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p0s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p0s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-50 1x64d', \
     $p0s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p0s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNet-50 1x64d without shortcuts', \
     $p0s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
set title 'ResNeXt'
plot $p1s0_val using 1:3:4 with filledcurves fc rgb '#0072B2' notitle, \
     $p1s1_val using 1:3:4 with filledcurves fc rgb '#D55E00' notitle, \
     $p1s0_val using 1:2 with linespoints lc rgb '#0072B2' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 32x4d', \
     $p1s0_train using 1:2 with linespoints lc rgb '#0072B2' lw 1.5 dt 2 pt 7 ps 0.5 notitle, \
     $p1s1_val using 1:2 with linespoints lc rgb '#D55E00' lw 2.5 dt 1 pt 7 ps 0.5 title 'ResNeXt-50 32x4d without shortcuts', \
     $p1s1_train using 1:2 with linespoints lc rgb '#D55E00' lw 1.5 dt 2 pt 7 ps 0.5 notitle
unset multiplot
unset output
