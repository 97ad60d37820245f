<?php
/**
 * Settings → Rostra: the Rostra URL, the site key, the SSO secret and the import token; the
 * "Test connection" and "Import WordPress comments" buttons and what they found.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

add_action('admin_menu', 'rostra_admin_menu');
add_action('admin_init', 'rostra_register_settings');
add_action('admin_post_rostra_test', 'rostra_test_pressed');

function rostra_admin_menu(): void {
    add_options_page('Rostra', 'Rostra', 'manage_options', 'rostra', 'rostra_settings_page');
}

function rostra_register_settings(): void {
    register_setting('rostra', ROSTRA_OPTION, [
        'type' => 'array',
        'sanitize_callback' => 'rostra_sanitize_settings',
        'default' => [],
    ]);
}

/** Trims every field; the URL must be http(s) and the key Rostra's kind of key. */
function rostra_sanitize_settings($input): array {
    $input = is_array($input) ? $input : [];
    $clean = [];
    foreach (['url', 'site', 'sso_secret', 'import_token'] as $field) {
        $clean[$field] = trim(sanitize_text_field($input[$field] ?? ''));
    }
    $clean['url'] = untrailingslashit(esc_url_raw($clean['url'], ['http', 'https']));
    if ($clean['site'] !== '' && !preg_match('/^[A-Za-z0-9_-]{1,64}$/', $clean['site'])) {
        add_settings_error(ROSTRA_OPTION, 'rostra_site', __('The site key has only letters, digits, - and _.', 'rostra'));
        $clean['site'] = rostra_settings()['site'];
    }
    return $clean;
}

function rostra_test_pressed(): void {
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('You may not do that.', 'rostra'), 403);
    }
    check_admin_referer('rostra_test');
    set_transient('rostra_test_result_' . get_current_user_id(), rostra_test_connection(), HOUR_IN_SECONDS);
    wp_safe_redirect(admin_url('options-general.php?page=rostra&tested=1'));
    exit;
}

/** A result kept for this user by a button, shown once. */
function rostra_take_result(string $name) {
    $key = "rostra_{$name}_result_" . get_current_user_id();
    $result = get_transient($key);
    delete_transient($key);
    return $result;
}

function rostra_settings_page(): void {
    if (!current_user_can('manage_options')) {
        return;
    }
    $s = rostra_settings();
    $fields = [
        'url' => [__('Rostra URL', 'rostra'), 'url', __('Where your Rostra answers, e.g. https://comments.example', 'rostra')],
        'site' => [__('Site key', 'rostra'), 'text', __('The key of this site in Rostra (rostra site list)', 'rostra')],
        'sso_secret' => [__('SSO secret', 'rostra'), 'password', __('rostra site secret KEY: signs logged-in users in', 'rostra')],
        'import_token' => [__('Import token', 'rostra'), 'password', __('rostra site token create KEY --scope import', 'rostra')],
    ];
    echo '<div class="wrap"><h1>' . esc_html__('Rostra', 'rostra') . '</h1>';
    settings_errors(ROSTRA_OPTION);
    rostra_show_results();
    echo '<form method="post" action="options.php">';
    settings_fields('rostra');
    echo '<table class="form-table" role="presentation">';
    foreach ($fields as $name => [$label, $type, $help]) {
        $id = 'rostra-' . str_replace('_', '-', $name);
        printf(
            '<tr><th scope="row"><label for="%1$s">%2$s</label></th><td><input id="%1$s" name="%3$s[%4$s]" type="%5$s" value="%6$s" class="regular-text" autocomplete="off"><p class="description">%7$s</p></td></tr>',
            esc_attr($id), esc_html($label), esc_attr(ROSTRA_OPTION), esc_attr($name), esc_attr($type),
            esc_attr($s[$name]), esc_html($help)
        );
    }
    echo '</table>';
    submit_button();
    echo '</form>';
    rostra_button('rostra_test', __('Test connection', 'rostra'));
    echo '<h2>' . esc_html__('Move the old comments in', 'rostra') . '</h2><p>'
        . esc_html__('Sends WordPress\'s export of your comments (wpDiscuz\'s votes and replies included) to Rostra. Pressing it again adds nothing twice.', 'rostra')
        . '</p>';
    rostra_button('rostra_import', __('Import WordPress comments', 'rostra'));
    echo '</div>';
}

function rostra_button(string $action, string $label): void {
    echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '">';
    echo '<input type="hidden" name="action" value="' . esc_attr($action) . '">';
    wp_nonce_field($action);
    submit_button($label, 'secondary', 'submit-' . $action, false);
    echo '</form>';
}

/** What "Test connection" and the import found, shown once after the button. */
function rostra_show_results(): void {
    $tested = rostra_take_result('test');
    if (is_array($tested)) {
        echo '<div class="notice notice-info" id="rostra-test-result"><ul>';
        foreach ($tested as $check) {
            printf('<li class="%s">%s %s</li>', $check['ok'] ? 'rostra-ok' : 'rostra-problem',
                $check['ok'] ? '✔' : '✘', esc_html($check['message']));
        }
        echo '</ul></div>';
    }
    $imported = rostra_take_result('import');
    if (is_array($imported)) {
        $class = $imported['ok'] ? 'notice-success' : 'notice-error';
        echo '<div class="notice ' . esc_attr($class) . '" id="rostra-import-result"><p>' . esc_html($imported['message']) . '</p>';
        foreach ($imported['summary']['skipped'] ?? [] as $skip) {
            echo '<p>' . esc_html(sprintf(__('Skipped %1$s: %2$s', 'rostra'), $skip['item'], $skip['reason'])) . '</p>';
        }
        echo '</div>';
    }
}
