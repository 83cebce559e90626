#!/bin/sh
# install the kit
exec ./bin/kesl-setup "$@"
