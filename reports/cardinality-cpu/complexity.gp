# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
1.269874 22.09 1.0954603294201632
1.453722 19.48 1.016808733243376
1.46881 22.416666666666668 1.1762133215440882
1.476354 19.67 1.4727298915053415
1.483898 19.919999999999998 0.4784349485562277
EOD
$f1 << EOD
# x mean error
2.296946 23.25666666666667 2.1569448558345465
2.663578 19.88 0.8140229316999207
2.672138 20.956666666666667 0.10806376718298281
2.676418 22.39 0.5163655036244518
2.680698 20.330000000000002 1.1038719732529374
EOD
set title 'Cardinality vs. width at preserved complexity (paper Table 3) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set yrange [0<*:*]
set grid lc rgb '#dddddd'
set key top right opaque box
set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06
set label 1 '8x3d' at first 1.269874, first 22.09 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 2 '32x1d' at first 1.453722, first 19.48 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 3 '4x6d' at first 1.46881, first 22.416666666666668 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 4 '2x10d' at first 1.476354, first 19.67 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 5 '1x16d' at first 1.483898, first 19.919999999999998 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 6 '8x3d' at first 2.296946, first 23.25666666666667 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 7 '32x1d' at first 2.663578, first 19.88 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 8 '4x6d' at first 2.672138, first 20.956666666666667 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 9 '2x10d' at first 2.676418, first 22.39 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 10 '1x16d' at first 2.680698, first 20.330000000000002 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title '50 layers', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title '101 layers'
unset output
