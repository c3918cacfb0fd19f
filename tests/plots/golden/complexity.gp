# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal svg size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.svg'
set encoding utf8
$f0 << EOD
# x mean error
4.91 4.1 0.08
9.13 3.92 0.07
17.56 3.8 0.05
34.43 3.65 0.06
EOD
$f1 << EOD
# x mean error
4.91 4.1 0.08
13.78 4 0.09
27.28 3.95 0
EOD
set title 'Test error vs. model size'."\n".'standard-error bars over 10 runs' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set logscale x
set yrange [0<*:*]
set grid lc rgb '#dddddd'
set key top right opaque box
set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06
set label 1 '1x64d' at first 4.91, first 4.1 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 2 '2x64d' at first 9.13, first 3.92 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 3 '4x64d' at first 17.56, first 3.8 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 4 '8x64d' at first 34.43, first 3.65 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 5 '1x128d' at first 13.78, first 4 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 6 '1x192d' at first 27.28, first 3.95 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title 'ResNeXt-29 (cardinality)', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title 'ResNet-29 (width)'
unset output
