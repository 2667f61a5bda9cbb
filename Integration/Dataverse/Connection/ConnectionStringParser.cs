using System.Globalization;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>
/// Parses the ServiceClient-style connection strings Dataverse users already have:
/// <c>AuthType=ClientSecret;Url=…;ClientId=…;ClientSecret=…;TenantId=…</c> and its variants.
/// Keys are case-insensitive (spaces inside keys ignored, so "Service Uri" = "ServiceUri"); values may be
/// quoted with ' or " (a doubled quote stands for itself), and a quoted value may contain ';'.
/// Key aliases follow the ServiceClient connection-string constants (webapi-notes §5.3).
/// Errors name the key at fault and never echo the value of a secret key.
/// </summary>
internal static class ConnectionStringParser
{
    private enum Key
    {
        Url,
        AuthType,
        ClientId,
        ClientSecret,
        Thumbprint,
        StoreName,
        TenantId,
        UserName,
        Password,
        RedirectUri,
        LoginPrompt,
        Ignored,
    }

    private static readonly Dictionary<string, Key> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["serviceuri"] = Key.Url,
        ["url"] = Key.Url,
        ["server"] = Key.Url,
        ["authtype"] = Key.AuthType,
        ["authenticationtype"] = Key.AuthType,
        ["clientid"] = Key.ClientId,
        ["appid"] = Key.ClientId,
        ["applicationid"] = Key.ClientId,
        ["clientsecret"] = Key.ClientSecret,
        ["secret"] = Key.ClientSecret,
        ["certificatethumbprint"] = Key.Thumbprint,
        ["thumbprint"] = Key.Thumbprint,
        ["certthumbprint"] = Key.Thumbprint,
        ["certificatestorename"] = Key.StoreName,
        ["storename"] = Key.StoreName,
        ["tenantid"] = Key.TenantId,
        ["tenant"] = Key.TenantId,
        ["username"] = Key.UserName,
        ["user"] = Key.UserName,
        ["userid"] = Key.UserName,
        ["password"] = Key.Password,
        ["redirecturi"] = Key.RedirectUri,
        ["replyurl"] = Key.RedirectUri,
        ["loginprompt"] = Key.LoginPrompt,
        // Accepted for compatibility; they change nothing for a Web API client.
        ["requirenewinstance"] = Key.Ignored,
        ["skipdiscovery"] = Key.Ignored,
        ["tokencachestorepath"] = Key.Ignored,
        ["homerealmuri"] = Key.Ignored,
        ["domain"] = Key.Ignored,
    };

    private const string AcceptedKeys =
        "AuthType, Url (ServiceUri, Server), ClientId (AppId), ClientSecret (Secret), Thumbprint (CertificateThumbprint), "
        + "CertificateStoreName, TenantId, RedirectUri, LoginPrompt, UserName (User)";

    /// <summary>Parses and validates a connection string; throws <see cref="ConnectionStringException"/> naming the key at fault.</summary>
    public static ConnectionSettings Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ConnectionStringException("AuthType", "The connection string is empty. Expected e.g. AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=…;ClientSecret=…;TenantId=….");
        }

        var values = new Dictionary<Key, (string Name, string Value)>();
        foreach (var (name, value) in Tokenize(connectionString))
        {
            var normalized = name.Replace(" ", string.Empty, StringComparison.Ordinal);
            if (!Keys.TryGetValue(normalized, out var key))
            {
                // After a secret, an "unknown key" is most likely the rest of an unquoted secret that holds ';' and '=':
                // never echo it.
                if (values.ContainsKey(Key.ClientSecret))
                {
                    throw new ConnectionStringException(values[Key.ClientSecret].Name,
                        $"The connection string has an unknown key after '{values[Key.ClientSecret].Name}'. If the secret contains ';' or '=', put it in quotes: {values[Key.ClientSecret].Name}='…'. Accepted keys: {AcceptedKeys}.");
                }

                throw new ConnectionStringException(name, $"Unknown key '{name}' in the connection string. Accepted keys: {AcceptedKeys}.");
            }

            if (key == Key.Ignored)
            {
                continue;
            }

            if (values.TryGetValue(key, out var earlier))
            {
                throw new ConnectionStringException(name, $"The connection string sets '{name}' twice (also as '{earlier.Name}'); keep one.");
            }

            values[key] = (name, value);
        }

        return Build(values);
    }

    private static ConnectionSettings Build(Dictionary<Key, (string Name, string Value)> values)
    {
        string? Get(Key key) => values.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;
        string NameOf(Key key, string canonical) => values.TryGetValue(key, out var v) ? v.Name : canonical;

        var authText = Get(Key.AuthType)
            ?? throw new ConnectionStringException("AuthType", "The connection string has no AuthType. Use AuthType=ClientSecret, Certificate, OAuth or ManagedIdentity (or Emulator for a local emulator).");
        var auth = authText.ToUpperInvariant() switch
        {
            "CLIENTSECRET" => AuthKind.ClientSecret,
            "CERTIFICATE" => AuthKind.Certificate,
            "OAUTH" => AuthKind.OAuth,
            "MANAGEDIDENTITY" => AuthKind.ManagedIdentity,
            "EMULATOR" => AuthKind.Emulator,
            _ => throw new ConnectionStringException(
                NameOf(Key.AuthType, "AuthType"),
                $"AuthType '{authText}' is not supported. Use ClientSecret, Certificate, OAuth or ManagedIdentity (or Emulator for a local emulator)."),
        };

        var urlText = Get(Key.Url)
            ?? throw new ConnectionStringException("Url", "The connection string has no Url (the environment URL, e.g. Url=https://contoso.crm.dynamics.com).");
        var urlKey = NameOf(Key.Url, "Url");
        if (auth == AuthKind.Emulator && (!Uri.TryCreate(urlText, UriKind.Absolute, out var local) || local.Scheme is not ("http" or "https") || !local.IsLoopback))
        {
            // The emulator has no sign-in: a user name is all it asks for, so it is never reached over the network.
            throw new ConnectionStringException(urlKey,
                $"AuthType=Emulator connects only to a local emulator on a loopback address (127.0.0.1, [::1] or localhost), as `partnerguard emulator serve` listens, e.g. {urlKey}=http://127.0.0.1:5555; got '{WithoutUserInfo(urlText)}'. For a Dataverse environment use AuthType=ClientSecret, Certificate, OAuth or ManagedIdentity.");
        }

        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw new ConnectionStringException(urlKey, $"'{urlKey}' must be an absolute https URL such as https://contoso.crm.dynamics.com; got '{WithoutUserInfo(urlText)}'.");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            // A Dataverse URL never carries credentials; refusing it here means no later message can print them.
            throw new ConnectionStringException(urlKey, $"'{urlKey}' must not contain a user name or password (user:password@); got '{WithoutUserInfo(urlText)}'. Put credentials in their own keys.");
        }

        var clientId = Get(Key.ClientId);
        if (clientId is not null && !Guid.TryParse(clientId, out _))
        {
            var name = NameOf(Key.ClientId, "ClientId");
            throw new ConnectionStringException(name, $"'{name}' must be the application (client) ID, a GUID; got '{clientId}'.");
        }

        var tenantId = Get(Key.TenantId);
        var secret = Get(Key.ClientSecret);
        var thumbprint = Get(Key.Thumbprint)?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (thumbprint is not null && (thumbprint.Length != 40 || !thumbprint.All(Uri.IsHexDigit)))
        {
            var name = NameOf(Key.Thumbprint, "Thumbprint");
            throw new ConnectionStringException(name, $"'{name}' must be a certificate thumbprint of 40 hexadecimal digits; got '{thumbprint}'.");
        }

        Uri? redirect = null;
        if (Get(Key.RedirectUri) is { } redirectText && !Uri.TryCreate(redirectText, UriKind.Absolute, out redirect))
        {
            var name = NameOf(Key.RedirectUri, "RedirectUri");
            throw new ConnectionStringException(name, $"'{name}' must be an absolute URI such as http://localhost; got '{redirectText}'.");
        }

        var prompt = LoginPrompt.Auto;
        if (Get(Key.LoginPrompt) is { } promptText && !Enum.TryParse(promptText, ignoreCase: true, out prompt))
        {
            var name = NameOf(Key.LoginPrompt, "LoginPrompt");
            throw new ConnectionStringException(name, $"'{name}' must be Auto, Always, Never, SelectAccount or RefreshSession; got '{promptText}'.");
        }

        if (values.ContainsKey(Key.Password))
        {
            throw new ConnectionStringException(
                NameOf(Key.Password, "Password"),
                "Password sign-in is not supported (it fails with multi-factor authentication). Remove 'Password' and use AuthType=OAuth to sign in with a device code, or an application user.");
        }

        switch (auth)
        {
            case AuthKind.ClientSecret:
                Require(clientId, "ClientId", auth);
                Require(secret, "ClientSecret", auth);
                Forbid(values, Key.Thumbprint, auth);
                break;
            case AuthKind.Certificate:
                Require(clientId, "ClientId", auth);
                Require(thumbprint, "Thumbprint", auth);
                Forbid(values, Key.ClientSecret, auth);
                break;
            case AuthKind.OAuth:
            case AuthKind.ManagedIdentity:
                Forbid(values, Key.ClientSecret, auth);
                Forbid(values, Key.Thumbprint, auth);
                break;
            case AuthKind.Emulator:
                Forbid(values, Key.ClientSecret, auth);
                Forbid(values, Key.Thumbprint, auth);
                Forbid(values, Key.ClientId, auth);
                Forbid(values, Key.TenantId, auth);
                if (Get(Key.UserName) is { } user && !user.All(c => c is >= ' ' and <= '~'))
                {
                    // The name travels as the bearer token in an HTTP header, which carries printable ASCII only.
                    var name = NameOf(Key.UserName, "User");
                    throw new ConnectionStringException(name, $"'{name}' must be printable ASCII (it is sent as the bearer token); give the user's domainname instead; got '{user}'.");
                }

                break;
        }

        return new ConnectionSettings(
            auth,
            new Uri(url.GetLeftPart(UriPartial.Authority)),
            clientId is null ? null : Guid.Parse(clientId).ToString("D", CultureInfo.InvariantCulture),
            secret,
            thumbprint,
            Get(Key.StoreName),
            tenantId,
            redirect,
            prompt,
            Get(Key.UserName));
    }

    private static void Require(string? value, string key, AuthKind auth)
    {
        if (value is null)
        {
            throw new ConnectionStringException(key, $"AuthType={auth} needs '{key}' in the connection string.");
        }
    }

    private static void Forbid(Dictionary<Key, (string Name, string Value)> values, Key key, AuthKind auth)
    {
        if (values.TryGetValue(key, out var v))
        {
            throw new ConnectionStringException(v.Name, $"'{v.Name}' does not belong with AuthType={auth}; remove it or change AuthType.");
        }
    }

    /// <summary>The URL text with anything between "://" and "@" replaced by ***, for messages.</summary>
    private static string WithoutUserInfo(string urlText)
    {
        var start = urlText.IndexOf("://", StringComparison.Ordinal);
        var at = urlText.LastIndexOf('@');
        return start >= 0 && at > start ? urlText[..(start + 3)] + "***" + urlText[at..] : urlText;
    }

    /// <summary>Splits key=value pairs; quoted values may contain ';' and doubled quotes.</summary>
    private static IEnumerable<(string Name, string Value)> Tokenize(string text)
    {
        var result = new List<(string, string)>();
        var pos = 0;
        string? previousKey = null;
        while (pos < text.Length)
        {
            while (pos < text.Length && (char.IsWhiteSpace(text[pos]) || text[pos] == ';'))
            {
                pos++;
            }

            if (pos >= text.Length)
            {
                break;
            }

            var keyStart = pos;
            while (pos < text.Length && text[pos] != '=' && text[pos] != ';')
            {
                pos++;
            }

            if (pos >= text.Length || text[pos] == ';')
            {
                // Do not echo the text: it may be the tail of a secret that contained an unquoted ';'.
                var where = previousKey is null ? "at the start" : $"after the value of '{previousKey}'";
                throw new ConnectionStringException(
                    previousKey ?? "(start)",
                    $"The connection string has a part without '=' {where}. Write Key=Value pairs separated by ';' and put values that contain ';' in quotes.");
            }

            var name = text[keyStart..pos].Trim();
            if (name.Length == 0)
            {
                var where = previousKey is null ? "at the start" : $"after the value of '{previousKey}'";
                throw new ConnectionStringException(previousKey ?? "(start)", $"The connection string has a value without a key {where}.");
            }

            pos++; // '='
            while (pos < text.Length && text[pos] is ' ' or '\t')
            {
                pos++;
            }

            string value;
            if (pos < text.Length && text[pos] is '"' or '\'')
            {
                var quote = text[pos++];
                var builder = new System.Text.StringBuilder();
                var closed = false;
                while (pos < text.Length)
                {
                    if (text[pos] == quote)
                    {
                        if (pos + 1 < text.Length && text[pos + 1] == quote)
                        {
                            builder.Append(quote);
                            pos += 2;
                            continue;
                        }

                        pos++;
                        closed = true;
                        break;
                    }

                    builder.Append(text[pos++]);
                }

                if (!closed)
                {
                    throw new ConnectionStringException(name, $"The value of '{name}' opens a quote that is never closed.");
                }

                while (pos < text.Length && char.IsWhiteSpace(text[pos]))
                {
                    pos++;
                }

                if (pos < text.Length && text[pos] != ';')
                {
                    throw new ConnectionStringException(name, $"Unexpected text after the quoted value of '{name}'; end the value with ';'.");
                }

                value = builder.ToString();
            }
            else
            {
                var valueStart = pos;
                while (pos < text.Length && text[pos] != ';')
                {
                    pos++;
                }

                value = text[valueStart..pos].Trim();
            }

            result.Add((name, value));
            previousKey = name;
        }

        return result;
    }
}
