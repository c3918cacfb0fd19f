# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
37.781952 19.88 0.8140229316999207
EOD
$f1 << EOD
# x mean error
69.557184 23.733333333333334 0.35871684902967416
73.879872 18.58666666666667 0.48416021223466027
78.504 19.113333333333333 0.7089036919387878
EOD
$f2 << EOD
# x mean error
68.616768 24.99 2.495482585259479
73.236732 22.646666666666665 0.18496245865340127
EOD
set title 'Fair depth vs. width vs. cardinality for ResNeXt at 2x complexity (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'MMACs'
set ylabel 'top-1 error (%)'
set yrange [0<*:*]
set grid lc rgb '#dddddd'
set key top right opaque box
set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06
set label 1 '32x1d' at first 37.781952, first 19.88 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 2 '32x1d' at first 69.557184, first 23.733333333333334 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 3 '64x1d' at first 73.879872, first 18.58666666666667 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 4 '32x2d' at first 78.504, first 19.113333333333333 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 5 '1x16d' at first 68.616768, first 24.99 offset character 0.8, character 0.7 font ',10' textcolor rgb '#009E73'
set label 6 '1x25d' at first 73.236732, first 22.646666666666665 offset character 0.8, character 0.7 font ',10' textcolor rgb '#009E73'
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title '1x reference', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title '2x ResNeXt', \
     $f2 using 1:2:3 with yerrorlines lc rgb '#009E73' lw 2 pt 7 ps 1.2 title '2x ResNet (paper)'
unset output
