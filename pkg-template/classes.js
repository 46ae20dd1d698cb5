// The public API classes (`CustomersApi`, ..., one per spec tag) and the `Lago` facade, made in
// JS from the generated list in operations.js. Each method hands its arguments, as given, to the
// wasm's one `Core.call` with the operation's index (its position in that list), so an
// operation costs a word of that string and an entry of the wasm's tables, not glue code.
//
// The classes exist at once, before the wasm is instantiated (browsers fetch it): an instance
// made earlier keeps the promise of its `Core`, and its calls wait for it. So no entry needs a
// top-level `await`, and a wasm that cannot load rejects the first call with a LagoError
// instead of throwing at import, where the app cannot catch it.
import OPERATIONS from "./operations.js";
import { iterableLater } from "./loader.js";

const CORE = Symbol("lago-wasm: core");
const ignore = () => {};

/**
 * `{ CustomersApi, ..., Lago }` over the glue's `Core`. `ready`: `{ done }` (true once the wasm
 * is instantiated) and `promise` (resolves then, or rejects with a LagoError when it cannot be).
 */
export function apiClasses(glue, ready) {
  ready.promise?.catch(ignore); // a failure is reported by the calls, not as an unhandled rejection
  // The class's core: made now (a bad option throws here, synchronously), or once the wasm is in.
  const core = (options, ctor) => {
    if (ready.done) return new glue.Core(options, ctor);
    const later = ready.promise.then(() => new glue.Core(options, ctor));
    later.catch(ignore); // reported by the calls
    return later;
  };
  // In the order of operations.js, `Lago` last, and each also under its name: an entry exports
  // them by array destructuring (`export const [CustomersApi, ...] = apiClasses(...)`), which
  // minifies without a third copy of every class name.
  const classes = [];
  let index = 0;
  for (const group of OPERATIONS.split("|")) {
    const [name, ...methods] = group.split(" ");
    const noun = name.slice(0, -4); // what `~` stands for in a method's name: `CustomersApi` -> `Customer`
    // A computed key names the class even in a minified bundle.
    const Api = {
      [name]: class {
        constructor(options) {
          this[CORE] = core(options, `new ${name}`);
        }
      },
    }[name];
    for (const method of methods) {
      const op = index++;
      const id = method.replace("+", "").replaceAll("~", noun);
      // Spread into the Core's six parameters (at most five arguments, then the options).
      Api.prototype[id] = function (...args) {
        const c = this[CORE];
        return c instanceof Promise ? c.then((c) => c.call(op, ...args)) : c.call(op, ...args);
      };
      // A list that pages: `findAllPlans` -> `listAllPlans`, an async iterable of every item.
      if (method.endsWith("+")) {
        Api.prototype[`listAll${id.slice("findAll".length)}`] = function (...args) {
          const c = this[CORE];
          return c instanceof Promise ? iterableLater(c.then((c) => c.pages(op, ...args))) : c.pages(op, ...args);
        };
      }
    }
    classes.push((classes[name] = Api));
  }
  const apis = [...classes];
  // `new Lago(options)`: every class under its camelCase name without `Api`, on one core (the
  // options are checked once and shared).
  const Lago = class {
    constructor(options) {
      const shared = core(options, "new Lago");
      for (const Api of apis) {
        const api = Object.create(Api.prototype);
        api[CORE] = shared;
        this[Api.name[0].toLowerCase() + Api.name.slice(1, -"Api".length)] = api;
      }
    }
  };
  // By hand: minifiers fold `{ Lago: class {} }.Lago` to a class without a name.
  Object.defineProperty(Lago, "name", { value: "Lago" });
  classes.push((classes.Lago = Lago));
  return classes;
}
