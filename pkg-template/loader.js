// For classes.js: the pager a method returns before the wasm is in.

/** An async iterable over the one `promise` resolves to; `break` closes it. */
export function iterableLater(promise) {
  let iterator;
  const get = () => (iterator ??= promise.then((it) => it[Symbol.asyncIterator]()));
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: (...args) => get().then((it) => it.next(...args)),
    // Even before a first next(): the pager made once the wasm arrived may hold a listener on
    // the caller's signal and a wasm page source, which its return() lets go of at once.
    return: (value) =>
      get().then(
        (it) => (it.return ? it.return(value) : { done: true, value }),
        () => ({ done: true, value }),
      ),
  };
}
