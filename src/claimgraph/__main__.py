from claimgraph.cli import main

main()
