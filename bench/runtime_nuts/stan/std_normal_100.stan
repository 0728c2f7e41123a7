// Stan twin of tests/unit/runtime/nuts/models/model_std_normal.cpp (N = 100).
parameters {
  vector[100] x;
}
model {
  x ~ std_normal();
}
