from robo2d.cli import main

main()
