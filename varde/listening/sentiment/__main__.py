from varde.listening.sentiment.evaluate import main

raise SystemExit(main())
