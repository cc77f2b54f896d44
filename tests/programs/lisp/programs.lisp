; programs.lisp — what tests/programs runs through lisp.c, natively and
; under isorun: recursion, tail calls, closures, lists, sorting, and enough
; allocation to make the collector run many times.

(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display "fib 18 = ") (display (fib 18)) (newline)

(define (range a b) (if (>= a b) '() (cons a (range (+ a 1) b))))
(define (map f l) (if (null? l) '() (cons (f (car l)) (map f (cdr l)))))
(define (filter keep? l)
  (cond ((null? l) '())
        ((keep? (car l)) (cons (car l) (filter keep? (cdr l))))
        (else (filter keep? (cdr l)))))
(define (fold f acc l) (if (null? l) acc (fold f (f acc (car l)) (cdr l))))
(define (append a b) (if (null? a) b (cons (car a) (append (cdr a) b))))

(display "squares: ") (display (map (lambda (x) (* x x)) (range 0 12))) (newline)
(display "evens: ") (write (filter (lambda (x) (= 0 (modulo x 2))) (range 0 20))) (newline)
(display "sum 1..1000 = ") (display (fold + 0 (range 1 1001))) (newline)

; A loop of 200 000 iterations in constant C stack: proper tail calls.
(define (count-up i n acc) (if (= i n) acc (count-up (+ i 1) n (+ acc (modulo i 7)))))
(display "tail loop: ") (display (count-up 0 200000 0)) (newline)

; Closures with private state.
(define (make-counter step)
  (let ((n 0))
    (lambda () (set! n (+ n step)) n)))
(define c1 (make-counter 1))
(define c5 (make-counter 5))
(c1) (c1) (c5)
(display "counters: ") (display (list (c1) (c5) (c1))) (newline)

; A pseudo-random list, merge-sorted.
(define seed 12345)
(define (next-random!)
  (set! seed (modulo (+ (* seed 1103515245) 12345) 2147483648))
  (quotient seed 65536))
(define (random-list n) (if (= n 0) '() (cons (next-random!) (random-list (- n 1)))))
(define (split l)
  (if (or (null? l) (null? (cdr l)))
      (cons l '())
      (let ((rest (split (cdr (cdr l)))))
        (cons (cons (car l) (car rest)) (cons (car (cdr l)) (cdr rest))))))
(define (merge a b)
  (cond ((null? a) b)
        ((null? b) a)
        ((<= (car a) (car b)) (cons (car a) (merge (cdr a) b)))
        (else (cons (car b) (merge a (cdr b))))))
(define (sort l)
  (if (or (null? l) (null? (cdr l)))
      l
      (let ((halves (split l)))
        (merge (sort (car halves)) (sort (cdr halves))))))
(define (sorted? l) (or (null? l) (null? (cdr l)) (and (<= (car l) (car (cdr l))) (sorted? (cdr l)))))
(define numbers (random-list 1500))
(define sorted (sort numbers))
(display "sorted 1500: ") (display (sorted? sorted))
(display ", length ") (display (length sorted))
(display ", first ") (display (car sorted))
(display ", checksum ") (display (fold (lambda (acc x) (modulo (+ (* acc 31) x) 1000000007)) 0 sorted))
(newline)

; Primes by trial division over a list.
(define (prime? n)
  (define (try d) (cond ((> (* d d) n) #t) ((= 0 (modulo n d)) #f) (else (try (+ d 1)))))
  (and (> n 1) (try 2)))
(define primes (filter prime? (range 0 2000)))
(display "primes below 2000: ") (display (length primes))
(display ", largest ") (display (car (reverse primes)))
(newline)

; Takeuchi and Ackermann: deep non-tail recursion.
(define (tak x y z) (if (not (< y x)) z (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))
(display "tak 14 8 2 = ") (display (tak 14 8 2)) (newline)
(define (ack m n)
  (cond ((= m 0) (+ n 1))
        ((= n 0) (ack (- m 1) 1))
        (else (ack (- m 1) (ack m (- n 1))))))
(display "ack 2 7 = ") (display (ack 2 7)) (newline)

; Strings, symbols, equality, dotted pairs, 64-bit arithmetic.
(write (list "a string" 'symbol #t #f '() (cons 1 2) '(1 (2 3) . 4))) (newline)
(display (list (equal? '(1 (2 "x")) '(1 (2 "x"))) (eq? 'a 'a) (eq? '(1) '(1)))) (newline)
(display (* 3037000499 3037000499)) (newline)
(display (- 0 9223372036854775807 1)) (newline)
(display "collections ran: ") (display (> (gc-count) 10)) (newline)
