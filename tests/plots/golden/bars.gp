# ablate figure: grouped bars. Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'bars.png'
set encoding utf8
$b0 << EOD
# x value error
-0.2 23.9 0.2
0.8 22.2 0.1
EOD
$b1 << EOD
# x value error
0.2 31.2 0.4
1.2 26.1 0
EOD
set title 'Removing the shortcuts' font ',14'
set ylabel 'top-1 error (%)'
set xtics ('ResNet-50 1x64d' 0, 'ResNeXt-50 32x4d' 1) scale 0
set xrange [-0.6:1.6]
set yrange [0:*]
set grid ytics back lt 1 lw 1 lc rgb '#e6e6e6'
set offsets 0, 0, graph 0.15, 0
set key top left opaque box
set boxwidth 0.38 absolute
set style fill solid 0.85 border rgb '#333333'
plot $b0 using 1:2 with boxes lc rgb '#0072B2' title 'with shortcut', \
     $b1 using 1:2 with boxes lc rgb '#D55E00' title 'without shortcut', \
     $b0 using 1:($3 > 0 ? $2 - $3 : NaN):(0):(2 * $3) with vectors heads size screen 0.008,90 lc rgb '#333333' lw 2 notitle, \
     $b1 using 1:($3 > 0 ? $2 - $3 : NaN):(0):(2 * $3) with vectors heads size screen 0.008,90 lc rgb '#333333' lw 2 notitle, \
     $b0 using 1:($2+$3):(sprintf('%.2f', $2)) with labels offset 0,0.8 notitle, \
     $b1 using 1:($2+$3):(sprintf('%.2f', $2)) with labels offset 0,0.8 notitle
unset output
