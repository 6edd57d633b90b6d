package io.peat.sync;

import java.util.Objects;

/**
 * A document key, {@code collection:doc_id}. Immutable.
 *
 * @param collection the collection, non-empty, without ':'
 * @param docId the document id, non-empty (may contain ':')
 */
public record DocKey(String collection, String docId) implements Comparable<DocKey> {

    /** @throws IllegalArgumentException for an empty part or a ':' in the collection */
    public DocKey {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(docId, "docId");
        if (collection.isEmpty() || docId.isEmpty() || collection.indexOf(':') >= 0) {
            throw new IllegalArgumentException("document key must be collection:doc_id with a non-empty collection without ':'"
                    + " and a non-empty id, got '" + collection + ":" + docId + "'");
        }
    }

    /**
     * @param text {@code collection:doc_id}
     * @return the key
     * @throws IllegalArgumentException when the text has no ':' or an empty part
     */
    public static DocKey parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("document key must look like collection:doc_id, got '" + text + "'");
        }
        return new DocKey(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * @param collection the collection
     * @param docId the id
     * @return the key
     */
    public static DocKey of(String collection, String docId) {
        return new DocKey(collection, docId);
    }

    @Override
    public int compareTo(DocKey o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return collection + ":" + docId;
    }
}
