from mlnotes.cli import main

raise SystemExit(main())
