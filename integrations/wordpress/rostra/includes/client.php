<?php
/**
 * The plugin's settings and every request it makes to Rostra.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

const ROSTRA_OPTION = 'rostra_settings';

/** The settings, with an empty value for each one not set yet. */
function rostra_settings(): array {
    $saved = get_option(ROSTRA_OPTION, []);
    $defaults = ['url' => '', 'site' => '', 'sso_secret' => '', 'import_token' => ''];
    return array_merge($defaults, is_array($saved) ? $saved : []);
}

/** Whether the URL and site key are set: the thread replaces the comments only then. */
function rostra_configured(): bool {
    $s = rostra_settings();
    return $s['url'] !== '' && $s['site'] !== '';
}

/** An address on the Rostra server: `$path` with the query. */
function rostra_url(string $path, array $query = []): string {
    $base = untrailingslashit(rostra_settings()['url']);
    $url = $base . $path;
    return $query ? $url . '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986) : $url;
}

/**
 * One request to Rostra. Answers the status (0 when Rostra could not be reached), the body, the
 * decoded JSON when the body is JSON, and the error code and message of an error answer.
 */
function rostra_request(string $method, string $path, array $query = [], array $args = []): array {
    $args = array_merge(['method' => $method, 'timeout' => 5, 'redirection' => 0], $args);
    $response = wp_remote_request(rostra_url($path, $query), $args);
    if (is_wp_error($response)) {
        return ['status' => 0, 'body' => '', 'json' => null, 'code' => 'unreachable',
                'message' => $response->get_error_message()];
    }
    $body = wp_remote_retrieve_body($response);
    $json = json_decode($body, true);
    return [
        'status' => (int) wp_remote_retrieve_response_code($response),
        'body' => $body,
        'json' => is_array($json) ? $json : null,
        'code' => $json['error']['code'] ?? '',
        'message' => $json['error']['message'] ?? '',
    ];
}

/**
 * Logs a failure once per hour for the same kind of trouble, not on every page view.
 */
function rostra_log_once(string $what, string $detail): void {
    $key = 'rostra_logged_' . md5($what);
    if (get_transient($key)) {
        return;
    }
    set_transient($key, 1, HOUR_IN_SECONDS);
    error_log("Rostra: $what: $detail");
}
