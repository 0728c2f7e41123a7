// The value library: boxed values and every operation on them, shared by the code that
// `mvc compile` generates (through the C ABI of mvc/compiled.h, abi.cpp) and the reference
// interpreter of the IR (compiler/interp). One implementation of the language's semantics:
// built-ins with Eigen, densities and transforms through runtime/math, indexing and
// assignment, constraint checks, _rng functions.
//
// Nothing here knows the compiler's types: a signature is its name / family / is_cdf, a type
// is (elem, array dims, resolved sizes), an IR attribute is its string.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mvc::values {

// A run-time error of a model: what() says what and where. status: 1 a domain error or
// reject() (the sampler rejects the proposal; in construction it is a data error), 2 an
// error in the data or the initial values, 3 fatal_error() or an unsupported operation.
class Error : public std::runtime_error {
 public:
  enum : int { kDomain = 1, kData = 2, kFatal = 3 };
  explicit Error(const std::string& what, int status = kDomain) : std::runtime_error(what), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Element types, numbered as enum mvc_elem of mvc/compiled.h.
enum class Elem : int { Int = 0, Real = 1, Vector = 2, RowVector = 3, Matrix = 4 };

// int, real, vector, row_vector, matrix, or an array of them. Vectors are Eigen column
// matrices (n x 1), row vectors 1 x n, so every linear-algebra value is one Eigen::MatrixXd.
struct Value {
  enum Kind { Int, Real, Vec, Row, Mat, Array } kind = Real;
  int64_t i = 0;
  double d = 0;
  Eigen::MatrixXd m;
  std::vector<Value> a;

  static Value integer(int64_t v) { Value x; x.kind = Int; x.i = v; return x; }
  static Value real(double v) { Value x; x.kind = Real; x.d = v; return x; }
  static Value vec(Eigen::MatrixXd v) { Value x; x.kind = Vec; x.m = std::move(v); return x; }
  static Value row(Eigen::MatrixXd v) { Value x; x.kind = Row; x.m = std::move(v); return x; }
  static Value mat(Eigen::MatrixXd v) { Value x; x.kind = Mat; x.m = std::move(v); return x; }
  static Value array(std::vector<Value> v) { Value x; x.kind = Array; x.a = std::move(v); return x; }

  bool scalar() const { return kind == Int || kind == Real; }
  bool linalg() const { return kind == Vec || kind == Row || kind == Mat; }
  double num() const { return kind == Int ? static_cast<double>(i) : d; }
};

// Arguments of an operation: a view of pointers to values (no copies).
class Args {
 public:
  Args() = default;
  Args(const Value* const* p, size_t n) : p_(p), n_(n) {}
  explicit Args(const std::vector<const Value*>& v) : p_(v.data()), n_(v.size()) {}
  const Value& operator[](size_t k) const { return *p_[k]; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  const Value* const* data() const { return p_; }

 private:
  const Value* const* p_ = nullptr;
  size_t n_ = 0;
};

// ---- values (value.cpp)

// All reals of a value in memory order (arrays row-major over their elements, matrices
// column-major), and the inverse: fill a value of the same structure from a flat list.
void flatten(const Value& v, std::vector<double>& out);
size_t fill(Value& v, const double* data);
// out[k] += the k-th real of v (in flatten's order); returns the number of reals.
size_t addReals(const Value& v, double* out);
// The k-th real of v += data[k] (reals only); returns the number of reals.
size_t addFrom(Value& v, const double* data);
size_t numReals(const Value& v);
// Zeros with the structure of v (ints become reals).
Value zerosLike(const Value& v);
// out = zerosLike(v), and out = v, keeping out's storage where the structures agree.
void zerosLikeInto(Value& out, const Value& v);
void copyInto(Value& out, const Value& v);
// out = shaped(elem, arrayDims, dims), keeping out's storage (and contents) when it already
// has that structure.
void reshapeInto(Value& out, Elem elem, int arrayDims, const std::vector<int64_t>& dims);
// "vector[3]", "array[2]", "1.5": for messages.
std::string describe(const Value& v);
// The value as print() shows it: 1.5, [1,2,3], [[1,2],[3,4]].
std::string printText(const Value& v);
// A value of the declared type with resolved sizes `dims` (array dims outermost, then rows,
// then columns): reals NaN, ints 0. Missing sizes count as 0.
Value shaped(Elem elem, int arrayDims, const std::vector<int64_t>& dims, size_t k = 0);
// ints converted to reals, recursively (for a value stored into a real variable).
Value promoteReal(Value v);
// {a, b, ...} (promote: the elements are real) and [a, b, ...] (scalars: a row_vector;
// row_vectors: a matrix with them as rows).
Value makeArray(const Args& elems, bool promote);
Value makeRow(const Args& elems);

// ---- indexing and assignment (index.cpp)

// The error of index i outside 1..n ("index 4 out of range; expecting index to be between 1
// and 3"); checkIndexRange: the same for the first of lo..hi outside 1..n (none when hi < lo).
[[noreturn]] void indexOutOfRange(int64_t i, int64_t n);
void checkIndexRange(int64_t lo, int64_t hi, int64_t n);

// One index position: kind (s single, r range, l lower, u upper, a all, m multi) and its
// operands.
struct IndexPos {
  char kind;
  const Value* ops[2];
};
// The positions of one indexing: kept inline up to kInline of them, so that indexing in a
// model's loops allocates nothing for them.
class IndexPositions {
 public:
  static constexpr size_t kInline = 8;
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  const IndexPos& operator[](size_t k) const { return n_ <= kInline ? small_[k] : big_[k]; }
  const IndexPos* begin() const { return n_ <= kInline ? small_ : big_.data(); }
  const IndexPos* end() const { return begin() + n_; }
  void push_back(const IndexPos& p);

 private:
  IndexPos small_[kInline];
  std::vector<IndexPos> big_;
  size_t n_ = 0;
};
// Splits operands by kinds: one letter per position; r takes two operands, a none, the
// others one.
IndexPositions indexPositions(const std::string& kinds, const Args& operands);
IndexPositions indexPositions(const char* kinds, const Args& operands);
Value indexValue(const Value& base, const IndexPositions& pos, size_t k = 0);
// The same into out, reusing its storage where the shape allows (no allocation when warm).
void indexValueInto(Value& out, const Value& base, const IndexPositions& pos);
// base[i1, ..., in] for n single 1-based indexes selecting one int or real.
const Value& indexScalar(const Value& base, int n, const int64_t* idx);
// What a store `x[indexes] = v` gives v of the adjoint acc of x: acc[indexes], except that for a
// multi-index that repeats a position only its last occurrence gets it (the last write wins;
// the earlier ones are overwritten) and the others get 0.
Value storeAdjoint(const Value& acc, const IndexPositions& pos);
// The real selected by n single 1-based indexes (n = 0: base itself), in place; null when they
// select something else (an int, a row of a matrix). Out-of-range indexes throw.
double* realLeaf(Value& base, int n, const int64_t* idx);
enum class AssignMode { Set, Add, Zero };
void assignInto(Value& base, const IndexPositions& pos, size_t k, const Value& v, AssignMode mode);

// ---- the undo tape of the reverse sweep (tape.cpp; docs/autodiff.md)

// Before a store of the model section overwrites var[indexes], the old value is saved here;
// the reverse sweep restores saved values newest first, so it can recompute each loop
// iteration and branch from the state it started from. Marks delimit an iteration, or a
// loop or branch, so that its saved values can be restored together.
// Entries keep their storage between evaluations (clear() does not free).
class Tape {
 public:
  void clear() { used_ = 0; }
  void mark(int64_t id);
  void save(Value& var, const std::string& kinds, const Args& operands);
  // The same for n single indexes (kinds "ss..."), without boxing them.
  void save(Value& var, int n, const int64_t* idx);
  // Restores the newest saved value into its variable and drops it (the newest entry must
  // be a saved value).
  void pop();
  // Restores and drops entries newest first through the newest mark `id` (dropped too).
  void restore(int64_t id);
  // Whether, from the newest entry down, a mark `iteration` comes before a mark `loop`: the
  // reverse of a while loop runs while its forward iterations remain.
  bool more(int64_t iteration, int64_t loop) const;

 private:
  struct Entry {
    bool isMark = false;
    int64_t id = 0;
    Value* var = nullptr;
    bool leaf = false;             // a real selected by single indexes: idx, oldReal
    std::vector<int64_t> idx;
    double oldReal = 0;
    std::string kinds;             // otherwise: kinds, ops, old
    std::vector<Value> ops;
    Value old;
  };
  Entry& push();

  static void restoreEntry(Entry& e);
  std::vector<Entry> entries_;
  size_t used_ = 0;
};

// ---- built-in functions and operators (builtins.cpp)

struct ResultType {
  Elem elem = Elem::Real;
  int arrayDims = 0;
};
using Builtin = std::function<Value(const Args&, const ResultType&)>;
// f applied to every element of a scalar, vector, matrix or array (ints become reals).
Value mapUnary(const Value& v, double (*f)(double));
// The built-ins of builtins_more.cpp (arrays of constants, sorting, sub-rows/columns,
// combinatorics, SPD linear algebra, the GP kernel), added to builtins.cpp's table.
void addMoreBuiltins(std::map<std::string, Builtin>& table);
// gamma_p, gamma_q, inc_beta, owens_t (builtins_special.cpp), and their kernel gradients:
// false if `name` is not one of them.
void addSpecialBuiltins(std::map<std::string, Builtin>& table);
bool specialBuiltinGrad(const std::string& name, int k, const Value& adjY, const Args& args, Value* out);
// The built-in of a signature's name ("operator*", "exp"), or nullptr. The pointer stays valid
// for the life of the program (mvc_v_call caches it per call site).
const Builtin* findBuiltin(const std::string& name);
bool builtinSupported(const std::string& name);
// Calls b and converts an int result to the real result type.
Value callBuiltin(const Builtin& b, const Args& args, const ResultType& type);
// By name; an unknown name throws Error naming it.
Value callBuiltin(const std::string& name, const Args& args, const ResultType& type);
// The adjoint contribution of a kernel built-in (call.grad): d/d(arg k) of <adjY, f(args)>.
Value builtinGrad(const std::string& name, int k, const Value& adjY, const Value& y, const Args& args);

// ---- densities through the runtime kernels (densities.cpp)

// A density or cdf term: `name` the signature's name ("normal_lpdf", "normal_lcdf"),
// `family` ("normal"); `active` bit i when argument i is active; propto drops constants.
double density(std::string_view name, std::string_view family, bool isCdf, const Args& args, uint32_t active,
               bool propto);
// density.grad: mask has one letter per argument, 'a' for those whose adjoint is wanted;
// adds adj * d term / d arg into accs (one per 'a', in order).
void densityGrad(std::string_view name, std::string_view family, bool isCdf, std::string_view mask,
                 bool propto, double adj, const Args& args, Value* const* accs);
// density.batched: modes one letter per argument (b one value, s an array over lo..hi, g an
// array gathered by an int array); inputs: lo, hi, then each argument (followed by its index
// array for g).
double densityBatched(const std::string& family, const std::string& modes, const Args& inputs, uint32_t active,
                      bool propto);
// density.batched.grad: modesMask "MODES/MASK"; accs one per active argument, each shaped
// like the whole argument. Mask 'p' (multivariate normals only): an untransformed parameter
// whose gradient goes straight into the gradient vector: flat[i] (its reals in order) instead
// of accs[i], for the i-th of the 'a'/'p' arguments.
void densityBatchedGrad(const std::string& family, const std::string& modesMask, bool propto, double adj,
                        const Args& inputs, Value* const* accs, double* const* flat = nullptr);
bool densitySupported(const std::string& family);
// Whether the family's _cdf/_lcdf/_lccdf are (mvc_lcdf).
bool cdfSupported(const std::string& family);

// ---- batched multivariate normals (batched_mvn.cpp): density.batched(.grad) of
// multi_normal, multi_normal_cholesky, multi_normal_prec and multi_student_t without boxing
// per item. accs null: the value; else the gradient (mask one letter per argument, an
// accumulator per 'a'). prepared: null, or batchedMvnPrepare of the (data) matrix argument.
bool batchedMvnFamily(const std::string& family);
// The partials of one forward call (adj = 1), kept for the reverse sweep of the same
// evaluation so that it need not gather and run the kernel again.
struct MvnPartials {
  bool valid = false;
  std::string family, modes;
  uint32_t active = 0;  // the arguments whose partials are kept
  bool propto = false;
  const Value* prepared = nullptr;
  std::vector<const Value*> inputs;  // lo, hi, the arguments (and index arrays)
  std::vector<double> g[4];  // per argument: items in batch order, one value ('b'), or per group (gathered matrix)
  std::vector<int64_t> order;  // batch order (positions from lo)
  double value = 0;
};
// save: also keep the partials of every active argument (accs must be null).
double batchedMvn(const std::string& family, const std::string& modes, const std::string& mask, const Args& inputs,
                  uint32_t active, bool propto, double adj, Value* const* accs, const Value* prepared,
                  MvnPartials* save = nullptr, double* const* flat = nullptr);
// The reverse of a call whose partials P kept: adds adj * partials into accs and returns true,
// or returns false (nothing done) when P is not of this call (other inputs, other mask).
bool applyMvnPartials(const MvnPartials& P, const std::string& family, const std::string& modes,
                      const std::string& mask, const Args& inputs, bool propto, double adj, Value* const* accs,
                      const Value* prepared, double* const* flat = nullptr);
// Every matrix of a data matrix argument (mode 'b': one matrix; 's'/'g': an array) factored
// once; a matrix that is not positive definite is a data error naming its index.
Value batchedMvnPrepare(const std::string& family, char mode, const Value& matrices);
// Sufficient statistics of data items y[lo..hi], grouped by the data index G (null: one
// group): per group the count, mean and centered scatter. Given to batchedMvn as `prepared`
// (layout 3) when y is data, mu one vector and the matrix one per group ('g') or one ('b'):
// each group then costs O(q^3) per evaluation, whatever its number of items. Data it cannot
// summarise (an index out of range, a non-finite value) give statistics marked unusable, and
// batchedMvn takes the general path, which reports the error where it occurs.
Value batchedMvnStats(int64_t lo, int64_t hi, const Value& y, const Value* G);
// The direct form (codegen's mvc_v_density_batched_direct): y and mu as contiguous items
// (n = 1: broadcast), gradients (adjoint 1) added in place where grad is set; the matrix
// argument prepared (matMode 'b': one, 's': items lo..hi of it).
struct DirectArg {
  const double* data;
  int64_t n;
  size_t size;
  double* grad;
};
double batchedMvnDirect(const char* family, const Value& prepared, char matMode, int64_t lo, int64_t hi,
                        const DirectArg& y, const DirectArg& mu, uint32_t active, bool propto);
// An array of K vectors as one size x K matrix (items contiguous), for the direct form.
Value packItems(const Value& array);

// ---- constraints and parameter transforms (transforms.cpp)

// "" when value (args[0]) satisfies the constraint (transform, or lower / upper /
// lower_upper with the bounds args[1..]), else the message without the variable's name.
std::string checkConstraint(const std::string& transform, const Args& valueAndBounds);
// The same for one vector/matrix element of a structurally constrained value (simplex,
// cov_matrix, ...).
std::string checkElement(const std::string& transform, const Value& leaf);
// Is the transform a structural one (on each vector/matrix element, not elementwise bounds)?
bool structural(const std::string& transform);
// Number of unconstrained reals of a parameter of this type; and of one array element.
int64_t unconstrainedSize(const std::string& transform, Elem elem, int arrayDims, const std::vector<int64_t>& dims);
int64_t elementFreeSize(const std::string& transform, Elem elem, const int64_t* elemDims, int nElemDims);
// The constrained value from the unconstrained x (bounds: the param's inputs); adds log|J|
// to *lp when lp is not null. `name` is for messages.
Value constrainParam(const std::string& name, const std::string& transform, Elem elem, int arrayDims,
                     const std::vector<int64_t>& dims, const Args& bounds, const double* x, double* lp);
// The same into `out`, keeping its storage when it already has the declared structure (the
// arena reuses values between evaluations: no allocation per gradient).
void constrainParamInto(Value& out, const std::string& name, const std::string& transform, Elem elem, int arrayDims,
                        const std::vector<int64_t>& dims, const Args& bounds, const double* x, double* lp);
// Accumulates d/dx of <yAdj, y(x)> (+ d log|J|/dx when jacobian) into xAdj; and, for each
// bound k with boundAdj[k] non-null, d/d bound_k into *boundAdj[k] (lower, upper,
// lower_upper, offset_multiplier: the bounds' adjoints include the log-Jacobian's part).
void gradParam(const std::string& name, const std::string& transform, const Args& bounds, const double* x,
               const Value& y, const Value& yAdj, bool jacobian, double* xAdj, Value* const* boundAdj = nullptr);
// The inverse: writes the unconstrained coordinates of the constrained value y into x.
// Throws Error (status 2) "variable 'NAME': ..." when y violates the constraint.
void unconstrainParam(const std::string& name, const std::string& transform, const Value& y, const Args& bounds,
                      double* x);

// ---- random numbers (rng.cpp)

// A _rng function by name ("normal_rng"), drawing uniforms in (0, 1) from `uniform`.
// Unsupported names throw Error naming them.
Value rng(const std::string& name, const Args& args, const ResultType& type, const std::function<double()>& uniform);
bool rngSupported(const std::string& name);

// ---- print / reject (value.cpp)

// The text of print / reject pieces (the IR's attribute: comma-separated quoted string
// literals as written, and $ for the next value).
std::string formatPieces(const std::string& pieces, const Args& vals);

}  // namespace mvc::values
