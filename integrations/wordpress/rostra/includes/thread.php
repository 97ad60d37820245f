<?php
/**
 * Rostra's thread where the theme shows comments: the comments template is replaced (whatever
 * the theme, and before wpDiscuz's), and the thread's plain HTML is fetched on the server and
 * put inside the embed container, cached briefly, for readers without JavaScript and search
 * engines.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

/** Seconds a fetched thread fragment is kept. */
const ROSTRA_FRAGMENT_TTL = 60;
/** Seconds Rostra is not asked again after it failed to answer. */
const ROSTRA_DOWN_TTL = 30;

// Later than wpDiscuz (9999999): our template wins when both are active.
add_filter('comments_template', 'rostra_comments_template', PHP_INT_MAX);

// Block themes draw comments with blocks, not the comments template: the comments block becomes
// the thread, and WordPress's own comment form block goes.
add_filter('render_block', 'rostra_render_comments_block', 10, 2);

function rostra_render_comments_block(string $html, array $block): string {
    if (!rostra_configured()) {
        return $html;
    }
    $name = $block['blockName'] ?? '';
    if ($name === 'core/post-comments-form') {
        return '';
    }
    if ($name !== 'core/comments' && $name !== 'core/post-comments') {
        return $html;
    }
    ob_start();
    require ROSTRA_PLUGIN_DIR . '/templates/comments.php';
    return (string) ob_get_clean();
}

function rostra_comments_template(string $template): string {
    if (!rostra_configured()) {
        return $template;
    }
    return ROSTRA_PLUGIN_DIR . '/templates/comments.php';
}

/** The page's address as Rostra keys its thread (the imported threads use the same). */
function rostra_page_url(WP_Post $post): string {
    return (string) get_permalink($post);
}

/**
 * The thread's plain HTML, from the cache or from Rostra; null when Rostra does not answer
 * (logged once, and not asked again for a little while).
 */
function rostra_fragment(string $page_url): ?string {
    $key = 'rostra_frag_' . md5(rostra_settings()['site'] . '|' . $page_url);
    $cached = get_transient($key);
    if (is_string($cached)) {
        return $cached;
    }
    if (get_transient('rostra_down')) {
        return null;
    }
    $query = ['site' => rostra_settings()['site'], 'url' => $page_url, 'fragment' => 1];
    $r = rostra_request('GET', '/thread', $query, ['timeout' => 3]);
    if ($r['status'] !== 200) {
        set_transient('rostra_down', 1, ROSTRA_DOWN_TTL);
        $why = $r['status'] === 0 ? $r['message'] : "HTTP {$r['status']} {$r['code']}";
        rostra_log_once('the thread could not be fetched', $why);
        return null;
    }
    set_transient($key, $r['body'], ROSTRA_FRAGMENT_TTL);
    return $r['body'];
}

/** Everything the template prints, escaped where it is ours. */
function rostra_thread_view(WP_Post $post): array {
    $url = rostra_page_url($post);
    $open = comments_open($post);
    return [
        'site' => rostra_settings()['site'],
        'url' => $url,
        'title' => get_the_title($post),
        'script' => rostra_url('/embed.js'),
        'sso' => rostra_sso_token(),
        'open' => $open,
        'fragment' => $open ? rostra_fragment($url) : null,
    ];
}
