# ablate figure: error vs. complexity (paper Fig. 7). Render again with: gnuplot THIS_FILE
set terminal pngcairo size 1000,620 noenhanced font 'sans,12' background '#ffffff'
set output 'complexity.png'
set encoding utf8
$f0 << EOD
# x mean error
1.308922 32.913333333333334 3.9103551984158402
1.483898 19.39 2.1899543374235004
EOD
$f1 << EOD
# x mean error
1.278746 31.816666666666666 2.4945562954383513
1.453722 22.043333333333333 1.4942259237180666
EOD
set lmargin at screen 0.09
set rmargin at screen 0.975
set bmargin at screen 0.1574
set tmargin at screen 0.883
set title 'Removing shortcuts (paper Sec. 5.1) (profile cpu): error vs. complexity'."\n".'mean over finished seeds; bars: standard error' font ',14'
set xlabel 'parameters (M)'
set ylabel 'top-1 error (%)'
set xrange [1.262:1.5290000000000001]
set yrange [14.85:39.18]
set grid back lt 1 lw 1 lc rgb '#e6e6e6'
set key at screen 0.5, screen 0.0097 center bottom horizontal samplen 2
set label 1 'ResNet-50 1x64d without shortcuts' at screen 0.2555, screen 0.6961 left font ',10' textcolor rgb '#0072B2' front
set label 2 'ResNet-50 1x64d' at screen 0.8355, screen 0.2928 left font ',10' textcolor rgb '#0072B2' front
set label 3 'ResNeXt-50 32x4d without shortcuts' at screen 0.1555, screen 0.5424 left font ',10' textcolor rgb '#D55E00' front
set arrow 3 from first 1.278746, first 31.816666666666666 to screen 0.1545, screen 0.5424 nohead lw 0.6 lc rgb '#D55E00' back
set label 4 'ResNeXt-50 32x4d' at screen 0.7355, screen 0.3719 left font ',10' textcolor rgb '#D55E00' front
plot $f0 using 1:2:3 with yerrorbars lc rgb '#0072B2' lw 2 pt 7 ps 1.2 title 'ResNet', \
     $f1 using 1:2:3 with yerrorbars lc rgb '#D55E00' lw 2 pt 7 ps 1.2 title 'ResNeXt'
unset output
