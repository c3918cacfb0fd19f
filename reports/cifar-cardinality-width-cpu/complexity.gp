# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
0.312826 16.613333333333333 0.26672915934416486
0.577338 15.78 0.341955162752857
1.106362 15.093333333333334 0.20795298613976299
2.16441 14.266666666666666 0.06887992773257284
4.280506 13.996666666666664 0.20464060637561116
EOD
$f1 << EOD
# x mean error
0.867642 15.636666666666665 0.2520802341407287
1.712762 15.103333333333333 0.13691035185275255
EOD
set title 'CIFAR: cardinality vs. width of ResNeXt-29 (paper Table 7, Fig. 7) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set yrange [0<*:*]
set grid lc rgb '#dddddd'
set key top right opaque box
set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06
set label 1 '1x16d' at first 0.312826, first 16.613333333333333 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 2 '2x16d' at first 0.577338, first 15.78 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 3 '4x16d' at first 1.106362, first 15.093333333333334 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 4 '8x16d' at first 2.16441, first 14.266666666666666 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 5 '16x16d' at first 4.280506, first 13.996666666666664 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 6 '1x32d' at first 0.867642, first 15.636666666666665 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 7 '1x48d' at first 1.712762, first 15.103333333333333 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title 'cardinality (d = 64)', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title 'width (C = 1)'
unset output
