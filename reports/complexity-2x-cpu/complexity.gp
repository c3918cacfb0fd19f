# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
37.073472 18.98 0.9617345441094094
37.781952 21.169999999999998 2.24486822181912
EOD
$f1 << EOD
# x mean error
68.616768 25.483333333333334 0.07310570733153748
72.462912 19.826666666666668 0.6239747145874139
73.236732 22.123333333333335 0.7630275952487638
73.879872 18.286666666666665 1.2288250937831275
EOD
set lmargin at screen 0.09
set rmargin at screen 0.975
set bmargin at screen 0.1574
set tmargin at screen 0.883
set title 'Deeper, wider or more cardinality at 2x complexity (paper Table 4) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'MMACs'
set ylabel 'top-1 error (%)'
set xrange [34.13:81.98]
set yrange [16.04:26.580000000000002]
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set key at screen 0.5, screen 0.0097 center bottom horizontal samplen 2
set label 1 'ResNet-101 1x64d' at screen 0.1494, screen 0.3356 left font ',10' textcolor rgb '#0072B2' front
set label 2 'ResNeXt-101 32x4d' at screen 0.1675, screen 0.5106 left font ',10' textcolor rgb '#0072B2' front
set label 3 'ResNet-200 1x64d (deeper)' at screen 0.7378, screen 0.8075 left font ',10' textcolor rgb '#D55E00' front
set label 4 'ResNeXt-101 2x64d' at screen 0.809, screen 0.4181 left font ',10' textcolor rgb '#D55E00' front
set label 5 'ResNet-101 1x100d (wider)' at screen 0.6013, screen 0.5762 left font ',10' textcolor rgb '#D55E00' front
set label 6 'ResNeXt-101 64x4d' at screen 0.6772, screen 0.3121 left font ',10' textcolor rgb '#D55E00' front
plot $f0 using 1:2:3 with yerrorbars lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title '1x complexity references', \
     $f1 using 1:2:3 with yerrorbars lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title '2x complexity models'
unset output
