# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
37.073472 20.330000000000002 1.1038719732529374
37.781952 19.88 0.8140229316999207
EOD
$f1 << EOD
# x mean error
68.616768 24.99 2.495482585259479
72.462912 18.643333333333334 0.7314901077784837
73.236732 22.646666666666665 0.18496245865340127
73.879872 18.58666666666667 0.48416021223466027
EOD
set title 'Deeper, wider or more cardinality at 2x complexity (paper Table 4) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'MMACs'
set ylabel 'top-1 error (%)'
set yrange [0<*:*]
set grid lc rgb '#dddddd'
set key top right opaque box
set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06
set label 1 '1x16d' at first 37.073472, first 20.330000000000002 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 2 '32x1d' at first 37.781952, first 19.88 offset character 0.8, character 0.7 font ',10' textcolor rgb '#0072B2'
set label 3 '1x16d' at first 68.616768, first 24.99 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 4 '2x16d' at first 72.462912, first 18.643333333333334 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 5 '1x25d' at first 73.236732, first 22.646666666666665 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
set label 6 '64x1d' at first 73.879872, first 18.58666666666667 offset character 0.8, character 0.7 font ',10' textcolor rgb '#D55E00'
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title '1x complexity references', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title '2x complexity models'
unset output
