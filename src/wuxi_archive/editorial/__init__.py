"""What editors add to and read from the archive: sidecars that correct a seed's
articles (`sidecars`) and what the cleaning report asks them to look at (`review`)."""
