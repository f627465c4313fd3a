<?php
echo "hi";
