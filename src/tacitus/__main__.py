"""`python -m tacitus` runs the same CLI as the `tacitus` command."""

from tacitus.cli import main

if __name__ == "__main__":
    main()
