-- A database of the original (Flask) auth service at alembic revision 6883623fa6f0: its schema as
-- alembic left it, plus a few rows. Used to test that `auth db upgrade` adopts such a database and
-- that the C++ service keeps working with its data. Load it into an empty PostgreSQL database.
--
-- Password hashes are real Werkzeug hashes:
--   ivan@example.com   'original-password-1'  pbkdf2:sha256, 260000 iterations (Werkzeug 2.x)
--   Maria@Example.COM  'original-password-2'  scrypt n=32768 r=8 p=1 (Werkzeug 3.x)

CREATE TABLE public."user" (
    id uuid NOT NULL,
    email character varying(255) NOT NULL,
    password character varying(255) NOT NULL,
    is_superuser boolean DEFAULT false NOT NULL,
    CONSTRAINT user_pkey PRIMARY KEY (id),
    CONSTRAINT user_email_key UNIQUE (email)
);

CREATE TABLE public.profile (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    first_name character varying(255),
    last_name character varying(255),
    phone character varying(50),
    CONSTRAINT profile_pkey PRIMARY KEY (id),
    CONSTRAINT profile_user_id_key UNIQUE (user_id),
    CONSTRAINT profile_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE
);

CREATE TABLE public.login_histories (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    user_agent text,
    authentication_date timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT login_histories_pkey PRIMARY KEY (id),
    CONSTRAINT login_histories_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE
);

CREATE TABLE public.role (
    id uuid NOT NULL,
    name character varying(80) NOT NULL,
    description character varying(255),
    CONSTRAINT role_pkey PRIMARY KEY (id),
    CONSTRAINT role_name_key UNIQUE (name)
);

CREATE TABLE public.usersroles (
    id uuid NOT NULL,
    user_id uuid,
    role_id uuid,
    CONSTRAINT usersroles_pkey PRIMARY KEY (id),
    CONSTRAINT usersroles_role_id_fkey FOREIGN KEY (role_id) REFERENCES public.role(id) ON DELETE CASCADE,
    CONSTRAINT usersroles_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE
);

CREATE TABLE public.social_account (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    social_id text NOT NULL,
    social_name text NOT NULL,
    CONSTRAINT social_account_pkey PRIMARY KEY (id, social_name),
    CONSTRAINT social_account_social_id_social_name_key UNIQUE (social_id, social_name),
    CONSTRAINT social_account_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE
) PARTITION BY LIST (social_name);

CREATE TABLE public.social_account_yandex PARTITION OF public.social_account FOR VALUES IN ('yandex');
CREATE TABLE public.social_account_google PARTITION OF public.social_account FOR VALUES IN ('google');

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

INSERT INTO public.alembic_version (version_num) VALUES ('6883623fa6f0');

INSERT INTO public."user" (id, email, password, is_superuser) VALUES
    ('0b6c1f0e-5a52-4c1e-9b8a-3f2d4c5b6a71', 'ivan@example.com',
     'pbkdf2:sha256:260000$Y5Zz0qnD2xmZyDbS$48ada30affc2f6fee3d494913bd881a0cfedf73d173f95b5a3f2c4e59fa0b365',
     true),
    ('7d2e9a4b-1c3f-4e5a-8b6c-9d0e1f2a3b4c', 'Maria@Example.COM',
     'scrypt:32768:8:1$kT3pW9sLq2VbN7xR$7e48fa0f0169dd742586d47df1249849b9999871dfbde2a0e45f601ad920b11ea5beb6f72e8acc74c4a0b82381ee3763ef423a7e6cfd73f2ad55a54ac3ec6316',
     false);

INSERT INTO public.profile (id, user_id, first_name, last_name, phone) VALUES
    ('a1b2c3d4-0001-4000-8000-000000000001', '0b6c1f0e-5a52-4c1e-9b8a-3f2d4c5b6a71', 'Иван', 'Петров', '+7 900 000-00-01'),
    ('a1b2c3d4-0001-4000-8000-000000000002', '7d2e9a4b-1c3f-4e5a-8b6c-9d0e1f2a3b4c', 'Maria', NULL, NULL);

INSERT INTO public.login_histories (id, user_id, user_agent, authentication_date) VALUES
    ('b1b2c3d4-0002-4000-8000-000000000001', '0b6c1f0e-5a52-4c1e-9b8a-3f2d4c5b6a71',
     'Mozilla/5.0 (X11; Linux x86_64) Firefox/118.0', '2023-10-01 09:15:27.123456'),
    ('b1b2c3d4-0002-4000-8000-000000000002', '0b6c1f0e-5a52-4c1e-9b8a-3f2d4c5b6a71',
     'python-requests/2.31.0', '2023-10-02 18:00:00'),
    ('b1b2c3d4-0002-4000-8000-000000000003', '7d2e9a4b-1c3f-4e5a-8b6c-9d0e1f2a3b4c',
     NULL, '2023-10-03 07:45:10.5');

INSERT INTO public.role (id, name, description) VALUES
    ('c1b2c3d4-0003-4000-8000-000000000001', 'admin', 'Administrators');

INSERT INTO public.usersroles (id, user_id, role_id) VALUES
    ('d1b2c3d4-0004-4000-8000-000000000001', '0b6c1f0e-5a52-4c1e-9b8a-3f2d4c5b6a71',
     'c1b2c3d4-0003-4000-8000-000000000001');

INSERT INTO public.social_account (id, user_id, social_id, social_name) VALUES
    ('e1b2c3d4-0005-4000-8000-000000000001', '7d2e9a4b-1c3f-4e5a-8b6c-9d0e1f2a3b4c',
     '1130000012345678', 'yandex');
