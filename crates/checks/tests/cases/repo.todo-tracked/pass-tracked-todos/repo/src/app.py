# TODO(#12): paginate
x = 1  # FIXME PROJ-7 rounding
name = 'TODO list'
