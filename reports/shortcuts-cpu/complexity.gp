# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
1.308922 42.02 2.5930483990855238
1.483898 19.919999999999998 0.4784349485562277
EOD
$f1 << EOD
# x mean error
1.278746 32.013333333333335 2.978687257463894
1.453722 19.48 1.016808733243376
EOD
set title 'Removing shortcuts (paper Sec. 5.1) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set yrange [0<*:*]
set grid lc rgb '#dddddd'
set key top right opaque box
set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06
set label 1 '1x16d' at first 1.308922, first 42.02 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 2 '1x16d' at first 1.483898, first 19.919999999999998 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 3 '32x1d' at first 1.278746, first 32.013333333333335 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 4 '32x1d' at first 1.453722, first 19.48 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title 'ResNet', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title 'ResNeXt'
unset output
