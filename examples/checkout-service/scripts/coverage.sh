#!/bin/sh
# Stand-in for `pytest --cov`: prints a coverage table.
echo "Name                 Stmts   Miss  Cover"
echo "checkout/basket.py     420     21    95%"
echo "checkout/api.py        780     75    90%"
echo "TOTAL                 1200     96    92%"
