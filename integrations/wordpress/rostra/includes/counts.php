<?php
/**
 * Comment counts from Rostra: `get_comments_number()` (and so every theme's "N comments")
 * answers Rostra's count, fetched for a whole page of posts in one request and cached.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

/** Seconds a count is kept. */
const ROSTRA_COUNT_TTL = 120;

add_filter('the_posts', 'rostra_prefetch_counts', 10, 2);
add_filter('get_comments_number', 'rostra_comments_number', 10, 2);

/** Counts fetched during this request, by page URL. */
function rostra_count_memo(?array $more = null): array {
    static $memo = [];
    if ($more !== null) {
        $memo = array_merge($memo, $more);
    }
    return $memo;
}

function rostra_count_key(string $url): string {
    return 'rostra_count_' . md5(rostra_settings()['site'] . '|' . $url);
}

/**
 * Fetches the counts of the posts a query found that are not cached yet: one request for the
 * whole page of posts (Rostra takes up to 100 URLs at once).
 */
function rostra_prefetch_counts(array $posts, $query = null): array {
    if (!rostra_configured() || is_admin() || !$posts) {
        return $posts;
    }
    $missing = [];
    foreach ($posts as $post) {
        $url = rostra_page_url(get_post($post));
        $cached = get_transient(rostra_count_key($url));
        if ($cached === false) {
            $missing[] = $url;
        } else {
            rostra_count_memo([$url => (int) $cached]);
        }
    }
    foreach (array_chunk(array_unique($missing), 100) as $urls) {
        rostra_fetch_counts($urls);
    }
    return $posts;
}

function rostra_fetch_counts(array $urls): void {
    if (get_transient('rostra_down')) {
        return;
    }
    $query = 'site=' . rawurlencode(rostra_settings()['site']);
    foreach ($urls as $url) {
        $query .= '&url=' . rawurlencode($url);
    }
    $r = rostra_request('GET', '/api/counts?' . $query, [], ['timeout' => 3]);
    if ($r['status'] !== 200 || !isset($r['json']['counts'])) {
        set_transient('rostra_down', 1, ROSTRA_DOWN_TTL);
        rostra_log_once('the comment counts could not be fetched', "HTTP {$r['status']} {$r['code']} {$r['message']}");
        return;
    }
    $found = [];
    foreach ($urls as $url) {
        $found[$url] = (int) ($r['json']['counts'][$url] ?? 0);
        set_transient(rostra_count_key($url), $found[$url], ROSTRA_COUNT_TTL);
    }
    rostra_count_memo($found);
}

/** Rostra's count for the post; WordPress's own while Rostra's is not known. */
function rostra_comments_number($count, $post_id) {
    if (!rostra_configured()) {
        return $count;
    }
    $url = rostra_page_url(get_post($post_id));
    $memo = rostra_count_memo();
    if (!array_key_exists($url, $memo)) {
        $cached = get_transient(rostra_count_key($url));
        if ($cached === false) {
            rostra_fetch_counts([$url]);
            $memo = rostra_count_memo();
        } else {
            $memo[$url] = (int) $cached;
        }
    }
    return $memo[$url] ?? $count;
}
