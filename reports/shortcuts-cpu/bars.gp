# ablate figure: grouped bars. Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'bars.png'
set encoding utf8
$b0 << EOD
# x value error
-0.2 19.39 2.1899543374235004
0.8 22.043333333333333 1.4942259237180666
EOD
$b1 << EOD
# x value error
0.2 32.913333333333334 3.9103551984158402
1.2 31.816666666666666 2.4945562954383513
EOD
set title 'Removing shortcuts (paper Sec. 5.1) (profile cpu)'."\n".'mean over finished seeds; error bars: standard error' font ',14'
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
