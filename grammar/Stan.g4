// The mvc modelling language: Stan's (2.33+ syntax), plus batched multivariate distributions,
// which need no grammar of their own (they are a matter of signatures, not syntax).
//
// Layout: program and blocks; declarations and types; statements; expressions; lexer.
// Precedence (loosest to tightest), as in Stan's reference manual:
//   ?: (right)  ||  &&  == !=  < <= > >=  + -  * / % %/%  \  .* ./  unary ! - +  ^ .^ (right)  '  [] ()
// Range constraints (`<lower=e>`) take an arithmetic expression with no comparison operators,
// as in Stan, so that the closing '>' is never read as "greater than".
// The old array syntax (`real y[N];`, `real[] x` in functions) is accepted here and flagged
// with a warning by the AST builder. `#include` lexes as its own token so the parser's error
// handler can say it is not supported instead of "extraneous input".
grammar Stan;

// ---------------------------------------------------------------- program and blocks
// Blocks are parsed in any order so that an out-of-order or repeated block gets a message
// that says so; the AST builder enforces Stan's order.
program : programBlock* EOF ;
programBlock
  : functionsBlock | dataBlock | transformedDataBlock | parametersBlock
  | transformedParametersBlock | modelBlock | generatedQuantitiesBlock
  ;

functionsBlock            : FUNCTIONS '{' functionDef* '}' ;
dataBlock                 : DATA '{' varDecl* '}' ;
transformedDataBlock      : TRANSFORMED DATA '{' blockItem* '}' ;
parametersBlock           : PARAMETERS '{' varDecl* '}' ;
transformedParametersBlock: TRANSFORMED PARAMETERS '{' blockItem* '}' ;
modelBlock                : MODEL '{' blockItem* '}' ;
generatedQuantitiesBlock  : GENERATED QUANTITIES '{' blockItem* '}' ;

blockItem : varDecl | statement ;

// ---------------------------------------------------------------- functions
functionDef
  : returnType identifier '(' (param (',' param)*)? ')' (block | ';')
  ;
returnType : VOID | unsizedType ;
// A constraint here is not allowed; it is parsed so that the checker can say so.
param      : DATA? unsizedType rangeConstraint? identifier ;

// array[,] vector  |  vector  |  old style: real[,]
unsizedType
  : ARRAY '[' commas+=','* ']' elementType                  # NewUnsizedType
  | elementType '[' commas+=','* ']'                         # OldUnsizedType
  | elementType                                              # ScalarUnsizedType
  ;
elementType : INT | REAL | COMPLEX | VECTOR | ROW_VECTOR | MATRIX ;

// ---------------------------------------------------------------- declarations
// One rule for every declaration; whether constraints are allowed (only on top-level
// declarations of data, parameters, transformed parameters and generated quantities)
// is checked by semantic analysis, which can then say so in a sentence.
varDecl
  : arrayDims? declType identifier oldDims=dims? ('=' expression)? ';'
  ;
arrayDims : ARRAY '[' expression (',' expression)* ']' ;
dims      : '[' expression (',' expression)* ']' ;

declType
  : (INT | REAL) rangeConstraint?                                         # ScalarDeclType
  | (VECTOR | ROW_VECTOR) rangeConstraint? '[' expression ']'             # VectorDeclType
  | MATRIX rangeConstraint? '[' expression ',' expression ']'             # MatrixDeclType
  | kind=(SIMPLEX | UNIT_VECTOR | ORDERED | POSITIVE_ORDERED
          | CHOLESKY_FACTOR_CORR | CORR_MATRIX | COV_MATRIX) '[' expression ']'  # ConstrainedDeclType
  | CHOLESKY_FACTOR_COV '[' expression (',' expression)? ']'              # CholeskyCovDeclType
  | COMPLEX                                                               # ComplexDeclType
  ;

rangeConstraint
  : '<' rangeBound (',' rangeBound)* '>'
  ;
rangeBound
  : kind=(LOWER | UPPER | OFFSET | MULTIPLIER) '=' constraintExpression
  ;

// ---------------------------------------------------------------- statements
statement
  : lvalue op=('=' | '+=' | '-=' | '*=' | '/=' | '.*=' | './=') expression ';'    # AssignStmt
  | lvalue '<-' expression ';'                                                   # OldAssignStmt
  | expression '~' identifier '(' expressionList? ')' truncation? ';'            # TildeStmt
  | TARGET '+=' expression ';'                                                   # TargetStmt
  | FOR '(' identifier IN expression ':' expression ')' statement                # ForRangeStmt
  | FOR '(' identifier IN expression ')' statement                               # ForEachStmt
  | WHILE '(' expression ')' statement                                           # WhileStmt
  | IF '(' expression ')' statement (ELSE statement)?                            # IfStmt
  | BREAK ';'                                                                    # BreakStmt
  | CONTINUE ';'                                                                 # ContinueStmt
  | RETURN expression? ';'                                                       # ReturnStmt
  | PRINT '(' printable (',' printable)* ')' ';'                                 # PrintStmt
  | REJECT '(' printable (',' printable)* ')' ';'                                # RejectStmt
  | FATAL_ERROR '(' printable (',' printable)* ')' ';'                           # FatalErrorStmt
  | PROFILE '(' STRING ')' block                                                 # ProfileStmt
  | block                                                                        # BlockStmt
  | identifier '(' expressionList? ')' ';'                                       # CallStmt
  | ';'                                                                          # EmptyStmt
  ;

block : '{' blockItem* '}' ;

lvalue : identifier ('[' indexList ']')* ;

truncation
  : {_input->LT(1)->getText() == "T"}? IDENTIFIER '[' lo=expression? ',' hi=expression? ']'
  ;

printable : STRING | expression ;

// ---------------------------------------------------------------- expressions
expression
  : arith                                                             # ArithExpr
  | expression op=('<' | '<=' | '>' | '>=') expression                # CompareExpr
  | expression op=('==' | '!=') expression                            # EqualityExpr
  | expression '&&' expression                                        # AndExpr
  | expression '||' expression                                        # OrExpr
  | <assoc=right> expression '?' expression ':' expression            # TernaryExpr
  ;

// Arithmetic: everything a range bound may contain. Earlier alternatives bind tighter.
arith
  : arith '[' indexList ']'                                           # IndexExpr
  | arith '\''                                                        # TransposeExpr
  | <assoc=right> arith op=('^' | '.^') arith                         # PowExpr
  | op=('!' | '-' | '+') arith                                        # UnaryExpr
  | arith op=('.*' | './') arith                                      # ElementwiseExpr
  | arith '\\' arith                                                  # LeftDivExpr
  | arith op=('*' | '/' | '%' | '%/%') arith                          # MulExpr
  | arith op=('+' | '-') arith                                        # AddExpr
  | primary                                                           # PrimaryExpr
  ;

constraintExpression : arith ;

primary
  : INT_LITERAL                                                       # IntLit
  | REAL_LITERAL                                                      # RealLit
  | IMAG_LITERAL                                                      # ImagLit
  | identifier '(' expression '|' expressionList? ')'                 # CondCall
  | identifier '(' expressionList? ')'                                # Call
  | TARGET '(' ')'                                                    # TargetCall
  | identifier                                                        # Var
  | '(' expression ')'                                                # Paren
  | '{' expressionList '}'                                            # ArrayLit
  | '[' expressionList? ']'                                           # RowVectorLit
  ;

expressionList : expression (',' expression)* ;

// One index inside [...]: a, a:b, a:, :b, :, or nothing (all elements).
indexList : index (',' index)* ;
index
  : lo=expression ':' hi=expression                                   # RangeIndex
  | lo=expression ':'                                                 # LowerIndex
  | ':' hi=expression                                                 # UpperIndex
  | ':'                                                               # AllIndex
  | expression                                                        # SingleIndex
  |                                                                   # OmittedIndex
  ;

// Contextual keywords may be used as names, as in Stan.
identifier : IDENTIFIER | LOWER | UPPER | OFFSET | MULTIPLIER ;

// ---------------------------------------------------------------- lexer
FUNCTIONS : 'functions' ;
DATA : 'data' ;
TRANSFORMED : 'transformed' ;
PARAMETERS : 'parameters' ;
MODEL : 'model' ;
GENERATED : 'generated' ;
QUANTITIES : 'quantities' ;

ARRAY : 'array' ;
INT : 'int' ;
REAL : 'real' ;
COMPLEX : 'complex' ;
VECTOR : 'vector' ;
ROW_VECTOR : 'row_vector' ;
MATRIX : 'matrix' ;
SIMPLEX : 'simplex' ;
UNIT_VECTOR : 'unit_vector' ;
ORDERED : 'ordered' ;
POSITIVE_ORDERED : 'positive_ordered' ;
CHOLESKY_FACTOR_CORR : 'cholesky_factor_corr' ;
CHOLESKY_FACTOR_COV : 'cholesky_factor_cov' ;
CORR_MATRIX : 'corr_matrix' ;
COV_MATRIX : 'cov_matrix' ;
VOID : 'void' ;

LOWER : 'lower' ;
UPPER : 'upper' ;
OFFSET : 'offset' ;
MULTIPLIER : 'multiplier' ;

FOR : 'for' ;
IN : 'in' ;
WHILE : 'while' ;
IF : 'if' ;
ELSE : 'else' ;
BREAK : 'break' ;
CONTINUE : 'continue' ;
RETURN : 'return' ;
TARGET : 'target' ;
PRINT : 'print' ;
REJECT : 'reject' ;
FATAL_ERROR : 'fatal_error' ;
PROFILE : 'profile' ;

IDENTIFIER : [a-zA-Z] [a-zA-Z0-9_]* ;

IMAG_LITERAL : (INT_PART | REAL_BODY) 'i' ;
REAL_LITERAL : REAL_BODY ;
INT_LITERAL : INT_PART ;
fragment INT_PART : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? INT_PART ;
fragment REAL_BODY
  : INT_PART '.' INT_PART? EXPONENT?
  | '.' INT_PART EXPONENT?
  | INT_PART EXPONENT
  ;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
// An opening quote with no closing quote on its line: a token of its own, so the error says so.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;

INCLUDE : '#include' ~[\r\n]* ;
LINE_COMMENT : ('//' | '#') ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// A '/*' that is never closed: text with no '*/' in it, up to the end of the file.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF ;
WS : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Anything else is one bad character; the parser reports it with its position.
BAD_CHARACTER : . ;
