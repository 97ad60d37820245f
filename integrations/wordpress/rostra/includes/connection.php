<?php
/**
 * "Test connection": asks Rostra, without changing anything there, whether it is reachable,
 * knows the site, accepts this WordPress's origin, and takes the SSO secret and import token;
 * each problem with its own exact message.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

/** The checks' results: each `['ok' => bool, 'message' => string]`, stopping at a blocker. */
function rostra_test_connection(): array {
    $s = rostra_settings();
    if ($s['url'] === '' || $s['site'] === '') {
        return [rostra_check(false, __('Set the Rostra URL and the site key first.', 'rostra'))];
    }
    $r = rostra_request('GET', '/healthz');
    if ($r['status'] === 0) {
        /* translators: 1: the Rostra URL, 2: the error */
        return [rostra_check(false, sprintf(__('Rostra is not reachable at %1$s: %2$s', 'rostra'), $s['url'], $r['message']))];
    }
    if ($r['status'] !== 200 || trim($r['body']) !== 'ok') {
        return [rostra_check(false, sprintf(__('%1$s does not answer like Rostra (/healthz gave HTTP %2$d): check the URL.', 'rostra'), $s['url'], $r['status']))];
    }
    $results = [rostra_check(true, sprintf(__('Rostra answers at %s.', 'rostra'), $s['url']))];
    $site = rostra_check_site($s['site']);
    $results[] = $site;
    if (!$site['ok']) {
        return $results;
    }
    $results[] = rostra_check_sso($s['site'], $s['sso_secret']);
    $results[] = rostra_check_import_token($s['site'], $s['import_token']);
    return $results;
}

function rostra_check(bool $ok, string $message): array {
    return ['ok' => $ok, 'message' => $message];
}

/** The site exists, and a page of this WordPress is on one of its origins. */
function rostra_check_site(string $key): array {
    $home = home_url('/');
    $r = rostra_request('GET', '/api/threads', ['site' => $key, 'url' => $home]);
    if ($r['code'] === 'unknown_site') {
        /* translators: %s: the site key */
        return rostra_check(false, sprintf(__('Rostra has no site with the key "%s" (rostra site list shows the keys).', 'rostra'), $key));
    }
    if ($r['code'] === 'url_not_on_site') {
        $origin = wp_parse_url($home, PHP_URL_SCHEME) . '://' . wp_parse_url($home, PHP_URL_HOST)
            . (wp_parse_url($home, PHP_URL_PORT) ? ':' . wp_parse_url($home, PHP_URL_PORT) : '');
        /* translators: 1: this WordPress's origin, 2: the site key */
        return rostra_check(false, sprintf(__('This WordPress\'s origin (%1$s) is not among the origins of site "%2$s" in Rostra: add it there.', 'rostra'), $origin, $key));
    }
    if ($r['status'] !== 200) {
        return rostra_check(false, sprintf(__('Rostra answered HTTP %1$d (%2$s) for this site.', 'rostra'), $r['status'], $r['message']));
    }
    return rostra_check(true, sprintf(__('Site "%s" is known and takes this WordPress\'s pages.', 'rostra'), $key));
}

/**
 * The SSO secret matches: a token signed with it and expired an hour ago is refused as expired
 * (a wrong secret is refused for its signature first), so no one is signed in.
 */
function rostra_check_sso(string $key, string $secret): array {
    if ($secret === '') {
        return rostra_check(true, __('No SSO secret set: logged-in users comment as guests.', 'rostra'));
    }
    $now = time();
    $claims = ['id' => 'connection-test', 'name' => 'Connection test', 'aud' => $key,
               'iat' => $now - 2 * HOUR_IN_SECONDS, 'exp' => $now - HOUR_IN_SECONDS];
    $r = rostra_request('POST', '/api/sso', [], [
        'headers' => ['Content-Type' => 'application/json'],
        'body' => wp_json_encode(['site' => $key, 'token' => rostra_jwt($claims, $secret)]),
    ]);
    if ($r['code'] === 'sso_not_configured') {
        return rostra_check(false, sprintf(__('Site "%1$s" has no SSO secret in Rostra: run rostra site secret %1$s and paste the secret here.', 'rostra'), $key));
    }
    if ($r['code'] === 'invalid_sso_token' && str_contains($r['message'], 'expired')) {
        return rostra_check(true, __('The SSO secret is right.', 'rostra'));
    }
    if ($r['code'] === 'invalid_sso_token' && str_contains($r['message'], 'signature')) {
        return rostra_check(false, sprintf(__('The SSO secret is wrong: it is not the secret of site "%s" in Rostra.', 'rostra'), $key));
    }
    return rostra_check(false, sprintf(__('The SSO check got an unexpected answer: HTTP %1$d %2$s', 'rostra'), $r['status'], $r['message']));
}

/** The import token is a live import token of this site: an empty upload is refused as such. */
function rostra_check_import_token(string $key, string $token): array {
    if ($token === '') {
        return rostra_check(true, sprintf(__('No import token set: the import button needs one (rostra site token create %s --scope import).', 'rostra'), $key));
    }
    $r = rostra_request('POST', '/api/admin/import', ['site' => $key], [
        'headers' => ['Authorization' => 'Bearer ' . $token, 'Content-Type' => 'application/xml'],
        'body' => '',
    ]);
    $messages = [
        'empty_upload' => [true, __('The import token is right.', 'rostra')],
        'token_unknown' => [false, __('The import token is wrong: Rostra does not know it.', 'rostra')],
        'token_revoked' => [false, __('The import token was revoked in Rostra: make a new one.', 'rostra')],
        'token_wrong_site' => [false, sprintf(__('The import token belongs to another site than "%s".', 'rostra'), $key)],
        'token_wrong_scope' => [false, __('The token is not an import token (make one with --scope import).', 'rostra')],
    ];
    if (isset($messages[$r['code']])) {
        return rostra_check(...$messages[$r['code']]);
    }
    return rostra_check(false, sprintf(__('The import token check got an unexpected answer: HTTP %1$d %2$s', 'rostra'), $r['status'], $r['message']));
}
