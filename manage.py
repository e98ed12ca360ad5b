#!/usr/bin/env python
from satupintu.cli import main

if __name__ == "__main__":
    main()
