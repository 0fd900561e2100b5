--liquibase formatted sql

--changeset orders:1
create sequence shop_order_seq increment by 50;
create table shop_order (
    id                   bigint       primary key,
    email                varchar(200) not null,
    item                 varchar(200) not null,
    quantity             integer      not null,
    placed_at            timestamptz  not null,
    confirmation_sent_at timestamptz,
    stock_reserved_at    timestamptz
);

--changeset orders:2
create table shop_stock (
    item     varchar(200) primary key,
    quantity integer      not null check (quantity >= 0)
);
insert into shop_stock (item, quantity) values ('teapot', 100), ('kettle', 100), ('anvil', 100);
