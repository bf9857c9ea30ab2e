"""Pure rules of the hub: no Flask, no SQL, no files. Inputs are plain values, outputs too."""
