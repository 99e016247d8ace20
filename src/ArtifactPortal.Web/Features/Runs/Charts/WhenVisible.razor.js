// Tells .NET once when an element comes within 200 px of the viewport.
const observers = new WeakMap();

export function observe(element, dotNet) {
    const observer = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting)) {
            observer.disconnect();
            observers.delete(element);
            dotNet.invokeMethodAsync("BecameVisible");
        }
    }, { rootMargin: "200px" });
    observers.set(element, observer);
    observer.observe(element);
}

export function unobserve(element) {
    observers.get(element)?.disconnect();
    observers.delete(element);
}
