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
set lmargin at screen 0.09
set rmargin at screen 0.975
set bmargin at screen 0.1574
set tmargin at screen 0.883
set title 'Test error vs. model size'."\n".'standard-error bars over 10 runs' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set logscale x
set xtics (5, 10, 20, 50)
set xrange [4.202:52.85]
set yrange [3.519:4.251]
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set key at screen 0.5, screen 0.0097 center bottom horizontal samplen 2
set label 1 '1x64d' at screen 0.1494, screen 0.7575 left font ',10' textcolor rgb '#0072B2' front
set label 2 '2x64d' at screen 0.3662, screen 0.5791 left font ',10' textcolor rgb '#0072B2' front
set label 3 '4x64d' at screen 0.5949, screen 0.4602 left font ',10' textcolor rgb '#0072B2' front
set label 4 '8x64d' at screen 0.8352, screen 0.2873 left font ',10' textcolor rgb '#0072B2' front
set label 5 '1x128d' at screen 0.5101, screen 0.6584 left font ',10' textcolor rgb '#D55E00' front
set label 6 '1x192d' at screen 0.7538, screen 0.5846 left font ',10' textcolor rgb '#D55E00' front
plot $f0 using 1:2:3 with yerrorlines lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title 'ResNeXt-29 (cardinality)', \
     $f1 using 1:2:3 with yerrorlines lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title 'ResNet-29 (width)'
unset output
