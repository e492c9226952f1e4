package org.modreg.core.wiring;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A collection that can only shrink, as the framework hands them to resolver hooks (OSGi Core R8
 * §60.2): every remove works, adding throws {@link UnsupportedOperationException}. It holds a copy;
 * what is left is {@link #left()}, and each removal is told to a listener, so that a report can say
 * which hook removed what.
 */
final class Shrinkable<T> extends AbstractCollection<T> {

    private final List<T> items;
    private Consumer<? super T> onRemove = x -> { };

    Shrinkable(Collection<? extends T> items) {
        this.items = new ArrayList<>(items);
    }

    /** @param listener told of each element removed from now on */
    void onRemove(Consumer<? super T> listener) {
        this.onRemove = listener;
    }

    /** {@link AbstractCollection} builds every remove on this iterator's, and offers no add. */
    @Override
    public Iterator<T> iterator() {
        Iterator<T> it = items.iterator();
        return new Iterator<>() {
            private T last;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                last = it.next();
                return last;
            }

            @Override
            public void remove() {
                it.remove();
                onRemove.accept(last);
            }
        };
    }

    @Override
    public int size() {
        return items.size();
    }

    /** @return what is left, in order */
    List<T> left() {
        return items;
    }
}
