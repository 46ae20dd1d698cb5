// placeholder until tools/gen-from-spec.mjs runs
